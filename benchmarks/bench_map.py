"""Time to draw one membership map relative to a plain ``GeoDataFrame.plot()`` of the same geometries.

Goal of the maps issue: ``plot_membership_map`` costs at most 1.5x a plain
``GeoDataFrame.plot()`` of the same country geometries (projected to the same
CRS), both rendered to a PNG in memory at the same size and dpi.

Both cases run alternately in one process, after one warm-up each (reading the
GeoParquet, projecting and simplifying happen once per process and are
cached; a plain plot has nothing to cache). Reported: the median of N runs
and their ratio. A third line shows the first, uncached map of a process.

Usage: python benchmarks/bench_map.py [--repeat N]
"""

from __future__ import annotations

import argparse
import io
import statistics
import time

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from sco_research.analysis import geography as geo  # noqa: E402
from sco_research.plotting import plot_membership_map  # noqa: E402

DAY = "2017-06-09"
FIGSIZE = (9, 6)
DPI = 100


def render(fig) -> None:
    fig.savefig(io.BytesIO(), format="png", dpi=DPI)
    plt.close(fig)


def plain_plot(frame) -> None:
    fig, ax = plt.subplots(figsize=FIGSIZE)
    frame.plot(ax=ax)
    render(fig)


def membership_map() -> None:
    fig, ax = plt.subplots(figsize=FIGSIZE)
    plot_membership_map(DAY, ax=ax)
    render(fig)


def timed(func, *args) -> float:
    start = time.perf_counter()
    func(*args)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    first_map = timed(membership_map)  # includes reading, projecting and simplifying once
    # "The same geometries": every feature the map draws, at full 1:50m resolution, in the same CRS.
    frame = geo.load_geometries()
    frame = frame.to_crs(geo.EURASIA_LAEA)
    plain_plot(frame)

    plain, ours = [], []
    for _ in range(args.repeat):
        plain.append(timed(plain_plot, frame))
        ours.append(timed(membership_map))
    p, m = statistics.median(plain), statistics.median(ours)
    print(f"GeoDataFrame.plot() of the {len(frame)} countries       median {p * 1000:7.1f} ms")
    print(f"plot_membership_map({DAY!r})          median {m * 1000:7.1f} ms   ratio {m / p:.2f}x (goal <= 1.5x)")
    print(f"first plot_membership_map of a process (uncached)  {first_map * 1000:7.1f} ms   ratio {first_map / p:.2f}x")


if __name__ == "__main__":
    main()
