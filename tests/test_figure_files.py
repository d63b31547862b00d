"""Figure files are byte-identical between processes in every format the writer has, and carry no date or version.

One fresh process (another hash seed, another font cache state) draws a map as PNG, SVG and PDF, while this
process draws the same; the files must not differ by a byte. Every kind of figure the reports save (PNG and
SVG) is compared across processes in test_reports.py, against the files a report's kernel wrote.
"""

import hashlib
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

_SAVE = """
import matplotlib
matplotlib.use("Agg")
from sco_research.figures import save_figure
from sco_research.plotting import plot_membership_map
save_figure(plot_membership_map("2017-06-09"), "map", directory=DIRECTORY, formats=("png", "svg", "pdf"))
"""


def test_figure_files_are_byte_identical_across_processes(tmp_path):
    fresh = subprocess.Popen([sys.executable, "-c", f"DIRECTORY = {str(tmp_path / 'a')!r}\n{_SAVE}"],
                             stderr=subprocess.PIPE, text=True)
    exec(_SAVE, {"DIRECTORY": str(tmp_path / "b")})  # noqa: S102  (meanwhile, the same figures here)
    _, stderr = fresh.communicate(timeout=300)
    assert fresh.returncode == 0, stderr[-2000:]
    digests = [{p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (tmp_path / run).iterdir()}
               for run in ("a", "b")]
    assert sorted(digests[0]) == ["map.pdf", "map.png", "map.svg"]
    assert digests[0] == digests[1]
    svg = (tmp_path / "a" / "map.svg").read_text()
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg
    assert b"Software" not in (tmp_path / "a" / "map.png").read_bytes()[:400]
    pdf = (tmp_path / "a" / "map.pdf").read_bytes()
    assert b"/CreationDate" not in pdf and b"Matplotlib" not in pdf
