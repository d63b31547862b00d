"""`sco-research render`: checks before any kernel, parallel atomic jobs, failures, interruption, manifest."""

import json
import os
import signal
import subprocess
import sys
import time

import nbformat
import pytest
from click.testing import CliRunner
from nbformat.v4 import new_code_cell, new_notebook

from conftest import PROJECT
from sco_research.cli import main
from sco_research.errors import PlanError
from sco_research.reports.plan import jobs_from_file, make_job


def _notebook(path, *sources, parameters='message: str = "hello"  # text to print'):
    cells = [new_code_cell(parameters, metadata={"tags": ["parameters"]})]
    cells += [new_code_cell(s) for s in sources]
    nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                            "language": "python"}})
    nbformat.write(nb, path)
    return path


def test_default_report_set_is_valid_and_covers_every_notebook():
    jobs = jobs_from_file()
    names = {job.name for job in jobs}
    assert names == {p.stem for p in (PROJECT / "notebooks").rglob("*.ipynb")}
    seminars = [job for job in jobs if job.notebook.parent.name == "teaching"]
    assert sorted((job.name, job.edition) for job in seminars) == [
        ("how_the_sco_grew", "lecturer"), ("how_the_sco_grew", "student"),
        ("trade_and_power", "lecturer"), ("trade_and_power", "student")]
    assert {job.slug for job in jobs if job.name == "01_membership_growth"} >= {
        "defaults", "as_of-2017-06-09", "as_of-2023-07-04", "as_of-2024-07-04"}
    assert {job.parameters.get("reporter") for job in jobs if job.name == "02_trade"} >= {"RUS", "KAZ", "IND", "BLR"}


@pytest.mark.parametrize("args, message", [
    (["02_trade", "-p", "start_yr", "2005"], "02_trade: unknown parameter 'start_yr': expected one of reporter, partners"),
    (["02_trade", "-p", "start_year", "twenty"], "02_trade: invalid start_year='twenty': expected an integer"),
    (["02_trade", "-p", "start_year", "1990"], "02_trade: invalid start_year=1990: expected an integer year from 2001 to 2024"),
    (["01_membership_growth", "-p", "save_figures", "maybe"], "invalid save_figures='maybe': expected True or False"),
    (["01_membership_growth", "-p", "statuses", "[member, guest]"], "invalid statuses='guest': expected one of 'member'"),
    (["03_nothing"], "unknown notebook '03_nothing': expected a path to an .ipynb file or one of 00_dataset_tour"),
    (["00_dataset_tour", "--format", "html,docx"], "invalid --format 'docx'"),
])
def test_bad_jobs_exit_2_before_any_kernel_and_create_nothing(tmp_path, args, message):
    out = tmp_path / "reports"
    result = CliRunner().invoke(main, ["render", *args, "--output-dir", str(out)])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not out.exists()


def test_list_shows_parameters_with_types_and_defaults():
    result = CliRunner().invoke(main, ["render", "--list"])
    assert result.exit_code == 0
    assert "02_trade\n  reporter: str = \"CHN\"\n      ISO3 code of the reporting state" in result.output
    assert "  start_year: int = 2001" in result.output


def test_parameters_are_typed_from_the_declaration(tmp_path):
    nb = _notebook(tmp_path / "typed.ipynb", "print(n, flag, items)",
                   parameters="n: int = 1  # a count\nflag: bool = False  # a switch\nitems: list = []  # things")
    job = make_job(nb, {"n": "3", "flag": "true", "items": "[a, 2]"})
    assert job.parameters == {"n": 3, "flag": True, "items": ["a", 2]}
    with pytest.raises(PlanError, match=r"typed: invalid n='3.5': expected an integer"):
        make_job(nb, {"n": "3.5"})


def test_a_failing_notebook_leaves_the_others_complete_and_names_the_cell(tmp_path):
    good = _notebook(tmp_path / "good.ipynb", "print(message)")
    bad = _notebook(tmp_path / "bad.ipynb", "x = 1", "raise ValueError(f'broken on purpose: {message}')")
    out = tmp_path / "reports"
    result = CliRunner().invoke(main, ["render", str(good), str(bad), "-p", "message", "hi", "--output-dir", str(out),
                                       "--jobs", "2"])
    assert result.exit_code == 1, result.output
    # In [1] is the parameters cell, In [2] the injected parameters, In [3] "x = 1".
    assert "FAILED bad/message-hi: In [4]: ValueError: broken on purpose: hi" in result.output
    assert sorted(p.name for p in (out / "good" / "message-hi").iterdir()) == ["good.html", "good.ipynb"]
    assert not (out / "bad").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
    manifest = json.loads((out / "manifest.json").read_text())
    statuses = {job["notebook"]: job["status"] for job in manifest["jobs"]}
    assert statuses == {"good": "ok", "bad": "failed"}
    assert manifest["failed"] == 1 and manifest["jobs"][0]["parameters"] == {"message": "hi"}
    assert set(manifest["data_sha256"]) >= {"memberships.csv", "trade/bilateral_goods_trade.csv",
                                            "geometries/countries_50m.parquet"}
    assert manifest["package_version"] and manifest["git_commit"]
    index = (out / "index.html").read_text()
    assert '<a href="good/message-hi/good.html">good</a>' in index and "<td>failed</td>" in index


def test_html_has_no_code_and_the_report_keeps_its_figures(tmp_path):
    out = tmp_path / "reports"
    result = CliRunner().invoke(main, ["render", "02_trade", "-p", "reporter", "KAZ", "-p", "start_year", "2015",
                                       "--output-dir", str(out)])
    assert result.exit_code == 0, result.output
    folder = out / "02_trade" / "reporter-KAZ_start_year-2015"
    html = (folder / "02_trade.html").read_text()
    assert "resolve_parameters" not in html and "Reporter KAZ · 2015-2024" in html
    assert (folder / "figures" / "02_trade__by_partner__reporter-KAZ_start_year-2015.png").exists()
    assert not list((PROJECT / "figures").glob("*reporter-KAZ*"))


def test_interrupting_a_run_leaves_no_partial_report(tmp_path):
    slow = _notebook(tmp_path / "slow.ipynb", "import time\ntime.sleep(60)")
    out = tmp_path / "reports"
    process = subprocess.Popen([sys.executable, "-m", "sco_research", "render", str(slow), "--output-dir", str(out)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline and not (out.exists() and any(p.name.startswith(".tmp-") for p in out.iterdir())):
        time.sleep(0.2)
    assert out.exists(), "the job never started"
    time.sleep(3)  # let the kernel start and the sleeping cell begin
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr[-2000:]
    assert "interrupted" in stderr
    assert [p.name for p in out.iterdir()] == []
