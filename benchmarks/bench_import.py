"""Import and validation cost of sco_research relative to `import pandas`, measured side by side.

Each measurement is a fresh interpreter (`python -c ...`), alternated between the
cases and repeated; the median wall time is reported. Ratios, not absolute
seconds, are the result: they are what the foundation issue sets goals for

* `import sco_research`                                  <= 1.15 x `import pandas`
* `import sco_research; sco_research.validate()`         <= 2.0  x `import pandas`

`validate()` reads and checks every data file (the 12 tables, the trade tables, the
coverage file and the geometry file's attributes) with pandera and the cross-file
rules. Nothing is stored on disk between runs, so every run is cold.

Usage: python benchmarks/bench_import.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

CASES = {
    "import pandas": "import pandas",
    "import sco_research": "import sco_research",
    "import + validate() every file": "import sco_research; assert sco_research.validate() == []",
}
GOALS = {"import sco_research": 1.15, "import + validate() every file": 2.0}


def run(code: str, env: dict) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    times = {name: [] for name in CASES}
    base = dict(os.environ)
    for _ in range(args.repeat):
        for name, code in CASES.items():
            times[name].append(run(code, base))
    floor = statistics.median(times["import pandas"])
    print(f"{'case':40s} {'median s':>9s} {'x pandas':>9s} {'goal':>6s}   (n={args.repeat}, python {sys.version.split()[0]})")
    for name, values in times.items():
        median = statistics.median(values)
        goal = GOALS.get(name)
        verdict = "" if goal is None else f"{goal:5.2f}x {'met' if median / floor <= goal else 'NOT met'}"
        print(f"{name:40s} {median:9.3f} {median / floor:9.2f} {verdict}")


if __name__ == "__main__":
    main()
