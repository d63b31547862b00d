"""Rendering the default report set: `sco-research render` against sequential papermill and a trivial floor.

Three phases, each run in a fresh child process (so its peak memory is its own), one after another:

1. ``render``: ``sco-research render`` of every job in ``reports.yaml`` (parallel workers, HTML + ipynb);
2. ``sequential``: the same jobs run one after another with the ``papermill`` command line (execution
   only, no HTML: the cheapest sequential way to get the same notebooks executed);
3. ``floor``: ``sco-research render`` of as many trivial notebooks, each only importing the libraries the
   real notebooks import, with the same number of workers.

Goals of the rendering issue: render <= 0.65 x sequential, and render <= 1.5 x floor.
Peak memory is the largest resident set of any process the phase started (kernels included).

Usage: python benchmarks/bench_render.py [--jobs N]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
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

TRIVIAL = """{
 "cells": [
  {"cell_type": "code", "execution_count": null, "metadata": {"tags": ["parameters"]}, "outputs": [],
   "source": ["n: int = 0  # unused"]},
  {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
   "source": ["import matplotlib.pyplot as plt\\n", "import geopandas\\n", "import sco_research as sco\\n",
              "from sco_research import growth, trade_report\\n", "print(n)"]}
 ],
 "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
 "nbformat": 4, "nbformat_minor": 5
}
"""


def phase(commands: list[list[str]]) -> dict:
    out = subprocess.run([sys.executable, "-c", PHASE, json.dumps(commands)], check=True, capture_output=True,
                         text=True, cwd=PROJECT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    from sco_research.report_plan import jobs_from_file

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    jobs = jobs_from_file()
    env_note = f"{len(jobs)} reports, {args.jobs} workers, {os.cpu_count()} cores"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        os.environ["SCO_RESEARCH_FIGURES_DIR"] = str(tmp / "sequential-figures")  # keep figures/ untouched
        render = phase([[str(BIN / "sco-research"), "render", "--output-dir", str(tmp / "render"),
                         "--jobs", str(args.jobs)]])
        sequential = []
        for i, job in enumerate(jobs):
            command = [str(BIN / "papermill"), str(job.notebook), str(tmp / f"seq-{i}.ipynb"), "-k", "python3",
                       "--cwd", str(job.notebook.parent), "--no-progress-bar"]
            for name, value in job.parameters.items():
                command += ["-y", json.dumps({name: value})]
            sequential.append(command)
        sequential = phase(sequential)
        trivial = []
        for i in range(len(jobs)):
            path = tmp / f"trivial_{i:02d}.ipynb"
            path.write_text(TRIVIAL, encoding="utf-8")
            trivial.append(str(path))
        floor = phase([[str(BIN / "sco-research"), "render", *trivial, "--output-dir", str(tmp / "floor"),
                        "--jobs", str(args.jobs)]])
    print(f"# {env_note}")
    for name, result in (("sco-research render", render), ("sequential papermill", sequential),
                         ("trivial-notebook floor", floor)):
        print(f"{name:24} {result['seconds']:8.1f} s   peak RSS {result['peak_rss_mb']:7.0f} MB")
    print(f"render / sequential = {render['seconds'] / sequential['seconds']:.2f}x (goal <= 0.65x)")
    print(f"render / floor      = {render['seconds'] / floor['seconds']:.2f}x (goal <= 1.5x)")


if __name__ == "__main__":
    main()
