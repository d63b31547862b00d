"""Import and load cost of sco_research relative to `import pandas`, measured side by side.

Each measurement is a fresh interpreter (`python -c ...`), alternated between the
cases and repeated; the median wall time is reported. Ratios, not absolute
seconds, are the result: they are what the foundation issue sets goals for

* `import sco_research`                      <= 1.15 x `import pandas`
* import + load and validate every table     <= 1.6  x `import pandas`

"Cold" validation checks every column rule and every domain rule (an empty
validation cache, as on a fresh machine or after any data edit): the column
rules run as vectorised pandas, and pandera is imported only when a rule fails,
to report it. "Warm" reuses the stamp left by a previous successful validation
of byte-identical files.

Usage: python benchmarks/bench_import.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

CASES = {
    "import pandas": "import pandas",
    "import sco_research": "import sco_research",
    "import + load all (cold validation)": "import sco_research.datasets as d; d.load_tables()",
    "import + load all (warm validation)": "import sco_research.datasets as d; d.load_tables()",
}


def run(code: str, env: dict) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    times = {name: [] for name in CASES}
    with tempfile.TemporaryDirectory() as warm_cache:
        base = dict(os.environ)
        warm_env = {**base, "SCO_RESEARCH_CACHE_DIR": warm_cache}
        run(CASES["import + load all (warm validation)"], warm_env)  # leave a stamp
        for _ in range(args.repeat):
            for name, code in CASES.items():
                if "cold" in name:
                    with tempfile.TemporaryDirectory() as cold_cache:
                        times[name].append(run(code, {**base, "SCO_RESEARCH_CACHE_DIR": cold_cache}))
                elif "warm" in name:
                    times[name].append(run(code, warm_env))
                else:
                    times[name].append(run(code, base))
    floor = statistics.median(times["import pandas"])
    print(f"{'case':40s} {'median s':>9s} {'x pandas':>9s}   (n={args.repeat}, python {sys.version.split()[0]})")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:40s} {median:9.3f} {median / floor:9.2f}")


if __name__ == "__main__":
    main()
