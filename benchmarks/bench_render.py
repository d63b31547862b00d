"""Rendering the default report set: `sco-research render` against sequential papermill and a trivial floor.

Three phases, each run in a fresh child process (so its peak memory is its own), one after another:

1. ``render``: ``sco-research render`` of every job in ``reports.yaml`` (parallel workers, HTML + ipynb);
2. ``floor``: ``sco-research render`` of as many trivial notebooks, each only importing the libraries the
   real notebooks load (:data:`FLOOR_IMPORTS`), with the same number of workers;
3. ``sequential``: the same jobs as 1 run one after another with the ``papermill`` command line (execution
   only, no HTML: the cheapest sequential way to get the same notebooks executed).

With ``--repeat K`` phases 1 and 2 alternate K times and the median of each is used: on a shared
machine single runs of either drift by 10 % or more.

Goals of the rendering issue: render <= 0.65 x sequential, and render <= 1.5 x floor.
Peak memory is the largest resident set of any process the phase started (kernels included).

Usage: python benchmarks/bench_render.py [--jobs N] [--repeat K] [--skip-sequential]
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

# The floor's notebooks import what the default report set loads, and nothing else is done:
# matplotlib with the inline backend that renders activate, geopandas, adjustText (with scipy, for the
# summit map's labels), ipywidgets (the seminars' explorer) and the package modules the notebooks use.
# (Found by listing sys.modules at the end of each notebook; until session 3 the floor imported only
# pyplot, geopandas, growth and trade_report, which left adjustText, scipy, ipywidgets and the inline
# backend out of the floor and in the "work" of the real notebooks.)
FLOOR_IMPORTS = """import matplotlib.pyplot as plt
import matplotlib_inline.backend_inline
import geopandas
import adjustText
import ipywidgets
import sco_research as sco
from sco_research.reports import chair_report, claims, explore, figures, growth, tour, trade_report
print(n)"""


def trivial_notebook() -> str:
    """A notebook with a parameters cell and one cell of imports (:data:`FLOOR_IMPORTS`)."""
    import nbformat

    parameters = nbformat.v4.new_code_cell("n: int = 0  # unused", metadata={"tags": ["parameters"]})
    nb = nbformat.v4.new_notebook(cells=[parameters, nbformat.v4.new_code_cell(FLOOR_IMPORTS)])
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
    args = parser.parse_args()
    jobs = jobs_from_file()
    env_note = f"{len(jobs)} reports, {args.jobs} workers, {os.cpu_count()} cores, {args.repeat} repeat(s)"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        os.environ["SCO_RESEARCH_FIGURES_DIR"] = str(tmp / "sequential-figures")  # keep figures/ untouched
        trivial = []
        for i in range(len(jobs)):
            path = tmp / f"trivial_{i:02d}.ipynb"
            path.write_text(trivial_notebook(), encoding="utf-8")
            trivial.append(str(path))
        renders, floors = [], []
        # Alternating the two phases spreads the machine's drift over both.
        for run in range(args.repeat):
            renders.append(phase([[str(BIN / "sco-research"), "render", "--output-dir", str(tmp / f"render-{run}"),
                                   "--jobs", str(args.jobs)]]))
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
    render, floor = _median(renders), _median(floors)
    print(f"# {env_note}")
    if args.repeat > 1:
        print("render runs (s): " + ", ".join(f"{r['seconds']:.1f}" for r in renders))
        print("floor runs (s):  " + ", ".join(f"{r['seconds']:.1f}" for r in floors))
    for name, result in (("sco-research render", render), ("sequential papermill", sequential),
                         ("trivial-notebook floor", floor)):
        if result is not None:
            print(f"{name:24} {result['seconds']:8.1f} s   peak RSS {result['peak_rss_mb']:7.0f} MB")
    if sequential is not None:
        print(f"render / sequential = {render['seconds'] / sequential['seconds']:.2f}x (goal <= 0.65x)")
    print(f"render / floor      = {render['seconds'] / floor['seconds']:.2f}x (goal <= 1.5x)")


def _median(results: list[dict]) -> dict:
    """The run with the median time (the lower middle one for an even count)."""
    return sorted(results, key=lambda r: r["seconds"])[(len(results) - 1) // 2]

if __name__ == "__main__":
    main()
