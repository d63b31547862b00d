"""Rendering the default report set: `sco-research render` against sequential papermill and a trivial floor.

Phases, each run in a fresh child process (so its peak memory is its own), one after another:

1. ``render``: ``sco-research render`` of every job in ``reports.yaml`` (parallel workers, HTML + ipynb)
   into an empty folder;
2. ``rerun``: the same command into the same folder again, nothing changed (every report reused);
3. ``floor``: ``sco-research render`` of as many trivial notebooks, each only importing the libraries its
   real notebook loads (:data:`FLOOR_IMPORTS`), with the same number of workers;
4. ``sequential``: the same jobs as 1 run one after another with the ``papermill`` command line (execution
   only, no HTML: the cheapest sequential way to get the same notebooks executed);
5. ``make test`` (with ``--with-tests``): the whole suite, nbval included, as CI runs it.

With ``--repeat K`` phases 1–3 alternate K times and the median of each is used: on a shared
machine single runs of either drift by 10 % or more.

Goals: render <= 0.65 x sequential; render <= 1.5 x floor; unchanged rerun <= 0.05 x render;
``make test`` <= 90 s on 2 cores.
Peak memory is the largest resident set of any process the phase started (kernels included).

Usage: python benchmarks/bench_render.py [--jobs N] [--repeat K] [--skip-sequential] [--with-tests]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

PHASE = r"""
import json, resource, subprocess, sys, time
commands = json.loads(sys.argv[1])
start = time.perf_counter()
for command in commands:
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
elapsed = time.perf_counter() - start
print(json.dumps({"seconds": elapsed, "peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""

# Each floor notebook imports what its real notebook loads, and nothing else is done: the inline backend that
# renders activate, the package modules the notebook uses, and the heavy libraries it ends up with (found by
# listing sys.modules after running every cell of each notebook). A trade report loads seaborn, and with it
# scipy.stats and ipywidgets (2-3 s per kernel); the tour and the trade seminar load no geopandas.
FLOOR_COMMON = """import matplotlib_inline.backend_inline
import sco_research as sco
from sco_research.reports import parameters"""
FLOOR_IMPORTS = {
    "00_dataset_tour": "import matplotlib.pyplot\nfrom sco_research.reports import tour",
    "01_membership_growth": "import matplotlib.pyplot\nimport geopandas\nfrom sco_research import figures\n"
                            "from sco_research.reports import growth",
    "02_trade": "import matplotlib.pyplot\nimport seaborn\nimport scipy.stats\nimport ipywidgets\n"
                "from sco_research import figures\nfrom sco_research.reports import trade_report",
    "03_chairmanship_history": "import matplotlib.pyplot\nimport geopandas\nimport jinja2\n"
                               "from sco_research import figures\nfrom sco_research.reports import chair_report",
    "04_claims_check": "import geopandas\nimport jinja2\nfrom sco_research.analysis import claims",
    "how_the_sco_grew": "import matplotlib.pyplot\nimport geopandas\nimport ipywidgets\n"
                        "from sco_research.plotting import explore\nfrom sco_research.reports import exercises",
    "who_runs_the_sco": "import matplotlib.pyplot\nimport geopandas\nfrom sco_research.reports import exercises",
    "trade_and_power": "import matplotlib.pyplot\nfrom sco_research.reports import exercises",
}


def trivial_notebook(name: str) -> str:
    """A notebook with a parameters cell and one cell of what notebook ``name`` imports.

    The imports are :data:`FLOOR_COMMON` and the notebook's :data:`FLOOR_IMPORTS`.
    """
    import nbformat

    parameters = nbformat.v4.new_code_cell("n: int = 0  # unused", metadata={"tags": ["parameters"]})
    imports = f"{FLOOR_COMMON}\n{FLOOR_IMPORTS[name]}\nprint(n)"
    nb = nbformat.v4.new_notebook(cells=[parameters, nbformat.v4.new_code_cell(imports)])
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    return nbformat.writes(nb)


def phase(commands: list[list[str]]) -> dict:
    out = subprocess.run([sys.executable, "-c", PHASE, json.dumps(commands)], check=True, capture_output=True,
                         text=True, cwd=PROJECT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    from sco_research.reports.plan import jobs_from_file

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--skip-sequential", action="store_true",
                        help="only render and floor (the sequential papermill phase takes longest)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="alternate render and floor this many times; the medians are reported")
    parser.add_argument("--with-tests", action="store_true", help="also time `make test` (the whole suite)")
    args = parser.parse_args()
    jobs = jobs_from_file()
    env_note = f"{len(jobs)} reports, {args.jobs} workers, {os.cpu_count()} cores, {args.repeat} repeat(s)"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        os.environ["SCO_RESEARCH_FIGURES_DIR"] = str(tmp / "sequential-figures")  # papermill saves them as a render does
        trivial = []
        for i, job in enumerate(jobs):
            path = tmp / f"trivial_{i:02d}.ipynb"
            path.write_text(trivial_notebook(job.name), encoding="utf-8")
            trivial.append(str(path))
        renders, reruns, floors = [], [], []
        # Alternating the phases spreads the machine's drift over all of them.
        for run in range(args.repeat):
            command = [str(BIN / "sco-research"), "render", "--output-dir", str(tmp / f"render-{run}"),
                       "--jobs", str(args.jobs)]
            renders.append(phase([command]))
            reruns.append(phase([command]))  # nothing changed: every report is reused
            floors.append(phase([[str(BIN / "sco-research"), "render", *trivial, "--output-dir",
                                  str(tmp / f"floor-{run}"), "--jobs", str(args.jobs)]]))
        sequential = None
        if not args.skip_sequential:
            commands = []
            for i, job in enumerate(jobs):
                command = [str(BIN / "papermill"), str(job.notebook), str(tmp / f"seq-{i}.ipynb"), "-k", "python3",
                           "--cwd", str(job.notebook.parent), "--no-progress-bar"]
                for name, value in job.parameters.items():
                    command += ["-y", json.dumps({name: value})]
                commands.append(command)
            sequential = phase(commands)
    tests = phase([["make", "-C", str(PROJECT), "test"]]) if args.with_tests else None
    render, rerun, floor = _median(renders), _median(reruns), _median(floors)
    print(f"# {env_note}")
    if args.repeat > 1:
        print("render runs (s): " + ", ".join(f"{r['seconds']:.1f}" for r in renders))
        print("floor runs (s):  " + ", ".join(f"{r['seconds']:.1f}" for r in floors))
    for name, result in (("sco-research render", render), ("unchanged rerun", rerun),
                         ("sequential papermill", sequential), ("trivial-notebook floor", floor),
                         ("make test", tests)):
        if result is not None:
            print(f"{name:24} {result['seconds']:8.1f} s   peak RSS {result['peak_rss_mb']:7.0f} MB")
    if sequential is not None:
        print(f"render / sequential = {render['seconds'] / sequential['seconds']:.2f}x (goal <= 0.65x)")
    print(f"render / floor      = {render['seconds'] / floor['seconds']:.2f}x (goal <= 1.5x)")
    print(f"rerun / render      = {rerun['seconds'] / render['seconds']:.3f}x (goal <= 0.05x)")
    if tests is not None:
        print(f"make test           = {tests['seconds']:.1f} s (goal <= 90 s on 2 cores)")


def _median(results: list[dict]) -> dict:
    """The run with the median time (the lower middle one for an even count)."""
    return sorted(results, key=lambda r: r["seconds"])[(len(results) - 1) // 2]

if __name__ == "__main__":
    main()
