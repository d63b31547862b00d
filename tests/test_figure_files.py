"""Figure files are byte-identical between processes and carry no date or version; so are their names.

One fresh process (another hash seed, another font cache state) draws a map as PDF and names a figure whose
parameters are too long for its name, while this process does the same; neither the files nor the names may
differ. Every kind of figure the reports save, as PNG and SVG, is compared across processes in
test_reports.py, against the files a report's kernel wrote (with their metadata).
"""

import contextlib
import hashlib
import io
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

_SAVE = """
import matplotlib
matplotlib.use("Agg")
from sco_research.figures import figure_stem, save_figure
from sco_research.plotting import plot_membership_map
save_figure(plot_membership_map("2017-06-09"), "map", directory=DIRECTORY, formats=("pdf",))
print(figure_stem("01_membership_growth", "growth", {"snapshot_dates": ["2001-06-15"] * 20}))
"""


def test_figure_files_and_names_are_identical_across_processes(tmp_path):
    fresh = subprocess.Popen([sys.executable, "-c", f"DIRECTORY = {str(tmp_path / 'a')!r}\n{_SAVE}"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    here = {"DIRECTORY": str(tmp_path / "b")}
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        exec(_SAVE, here)  # noqa: S102  (meanwhile, the same here)
    stdout, stderr = fresh.communicate(timeout=300)
    assert fresh.returncode == 0, stderr[-2000:]
    # a long set of parameters is named by a digest of them, the same in every process (no hash())
    assert stdout == printed.getvalue() and stdout.startswith("01_membership_growth__growth__params-")
    digests = [{p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (tmp_path / run).iterdir()}
               for run in ("a", "b")]
    assert sorted(digests[0]) == ["map.pdf"]
    assert digests[0] == digests[1]
    pdf = (tmp_path / "a" / "map.pdf").read_bytes()
    assert b"/CreationDate" not in pdf and b"Matplotlib" not in pdf
