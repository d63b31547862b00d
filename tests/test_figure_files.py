"""Figure files are byte-identical between processes, for every kind of figure the reports save.

One fresh process (another hash seed, another font cache state) draws a map, the chairmanship timeline of
2017-2025 in Russian and the summit map in Chinese, the trade matrix, the share small multiples and a
partner chart, while this process draws the same; the files must not differ by a byte. One process for
all of them: each fresh interpreter costs seconds of imports.
"""

import hashlib
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

_SAVE = """
import matplotlib
matplotlib.use("Agg")
from sco_research.analysis import trade as T
from sco_research.analysis.sources import source_notes
from sco_research.data import load_trade
from sco_research.figures import save_figure
from sco_research.plotting import (plot_chairmanship_timeline, plot_membership_map, plot_share_small_multiples,
                                   plot_summit_map, plot_trade_by_partner, plot_trade_matrix)
save_figure(plot_membership_map("2017-06-09"), "map", directory=DIRECTORY, formats=("png", "svg", "pdf"))
save_figure(plot_summit_map(language="zh").figure, "summit_map", directory=DIRECTORY)
save_figure(plot_chairmanship_timeline(2017, 2025, language="ru").figure, "timeline", directory=DIRECTORY)
m = T.trade_matrix(2020, "current")
save_figure(plot_trade_matrix(m, sources=source_notes(m)), "matrix", directory=DIRECTORY, formats=["png"])
s = T.sco_shares(["CHN", "IND", "KAZ"])
save_figure(plot_share_small_multiples(s, sources=source_notes(s)), "shares", directory=DIRECTORY, formats=["png"])
save_figure(plot_trade_by_partner(load_trade(reporters="CHN", partners=["IND", "KAZ", "RUS"])), "partners",
            directory=DIRECTORY, formats=["png", "svg"])
"""


def test_figure_files_are_byte_identical_across_processes(tmp_path):
    fresh = subprocess.Popen([sys.executable, "-c", f"DIRECTORY = {str(tmp_path / 'a')!r}\n{_SAVE}"],
                             stderr=subprocess.PIPE, text=True)
    exec(_SAVE, {"DIRECTORY": str(tmp_path / "b")})  # noqa: S102  (meanwhile, the same figures here)
    _, stderr = fresh.communicate(timeout=300)
    assert fresh.returncode == 0, stderr[-2000:]
    digests = [{p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (tmp_path / run).iterdir()}
               for run in ("a", "b")]
    assert sorted(digests[0]) == ["map.pdf", "map.png", "map.svg", "matrix.png", "partners.png", "partners.svg",
                                  "shares.png", "summit_map.png", "summit_map.svg", "timeline.png", "timeline.svg"]
    assert digests[0] == digests[1]  # label placement has a fixed iteration budget
    svg = (tmp_path / "a" / "map.svg").read_text()
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg
    assert b"Software" not in (tmp_path / "a" / "map.png").read_bytes()[:400]
