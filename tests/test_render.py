"""`sco-research render` as an operator runs it: atomic and incremental jobs, locks, signals, logs, bad input.

Run mechanics are tested on small notebooks written here, executed in the render workers themselves
(tests/in_process.py): locks, signals, reuse and path checks do not depend on how cells run, and a kernel
start costs seconds. One test renders with real kernels, so the whole path (kernel output in the log, quiet
transport, papermill's failing cell) stays covered; the project notebooks' reports are tested in test_reports.py.
"""

import json
import os
import signal
import time
from pathlib import Path

import nbformat
import psutil
import pytest
from click.testing import CliRunner
from in_process import execute_in_process, start_render
from nbformat.v4 import new_code_cell, new_notebook

from conftest import PROJECT
from sco_research import data_version
from sco_research.cli import main
from sco_research.data import stale_warning
from sco_research.errors import PlanError
from sco_research.reports import run
from sco_research.reports.plan import jobs_from_file, make_job
from sco_research.reports.run import STATE_DIR, output_lock

NOISE = ("without encryption", "ERROR", "KeyboardInterrupt", "Traceback")


@pytest.fixture
def in_process(monkeypatch):
    """Render workers forked by this test execute notebooks in-process, without a kernel."""
    monkeypatch.setattr(run, "_execute", execute_in_process)


@pytest.fixture
def usual_umask():
    """The umask most servers run with (022), whatever this test process was given; the workers inherit it."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _notebook(path, *sources, parameters='message: str = "hello"  # text to print'):
    cells = [new_code_cell(parameters, metadata={"tags": ["parameters"]})]
    cells += [new_code_cell(s) for s in sources]
    nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                            "language": "python"}})
    nbformat.write(nb, path)
    return path


def _render(*args):
    return CliRunner().invoke(main, ["render", *map(str, args)])


def _manifest(out):
    return json.loads((out / "manifest.json").read_text())


def _leftovers(out):
    """Temporary folders and files a run should have removed."""
    tmp = out / STATE_DIR / "tmp"
    return [p.name for p in tmp.iterdir()] if tmp.exists() else []


def test_default_report_set_is_valid_and_covers_every_notebook():
    jobs = jobs_from_file()
    names = {job.name for job in jobs}
    assert names == {p.stem for p in (PROJECT / "notebooks").rglob("*.ipynb")}
    seminars = [job for job in jobs if job.notebook.parent.name == "teaching"]
    assert sorted((job.name, job.edition) for job in seminars) == [
        ("how_the_sco_grew", "lecturer"), ("how_the_sco_grew", "student"),
        ("trade_and_power", "lecturer"), ("trade_and_power", "student"),
        ("who_runs_the_sco", "lecturer"), ("who_runs_the_sco", "student")]
    # Every seminar also as slides, whatever the run's --format; other reports only as the run asks.
    assert {job.formats(("html",)) for job in seminars} == {("html", "slides")}
    assert {job.formats(("html",)) for job in jobs if job not in seminars} == {("html",)}
    assert {job.slug for job in jobs if job.name == "01_membership_growth"} >= {
        "defaults", "as_of-2017-06-09", "as_of-2023-07-04", "as_of-2024-07-04"}
    assert {job.parameters.get("reporter") for job in jobs if job.name == "02_trade"} >= {"RUS", "KAZ", "IND", "BLR"}


@pytest.mark.parametrize("formats, problem", [
    ("slides", "'formats' must be a list of ipynb, html, pdf, slides, got 'slides'"),
    ("[slides, pptx]", "'formats' must be a list of ipynb, html, pdf, slides, got ['slides', 'pptx']")])
def test_a_report_sets_formats_are_checked(tmp_path, formats, problem):
    report_set = tmp_path / "set.yaml"
    report_set.write_text(f"reports:\n  - notebook: 00_dataset_tour\n  - notebook: 02_trade\n    formats: {formats}\n")
    with pytest.raises(PlanError) as error:
        jobs_from_file(report_set)
    assert str(error.value) == f"{report_set}: report 2: {problem}"


def test_parameters_of_other_notebooks_are_typed_from_their_cell(tmp_path):
    nb = _notebook(tmp_path / "typed.ipynb", "print(n, flag, items)",
                   parameters="n: int = 1  # a count\nflag: bool = False  # a switch\nitems: list = []  # things")
    job = make_job(nb, {"n": "3", "flag": "true", "items": "[a, 2]"})
    assert job.parameters == {"n": 3, "flag": True, "items": ["a", 2]}
    with pytest.raises(PlanError, match=r"typed: invalid n=3.5: expected a int"):
        make_job(nb, {"n": "3.5"})
    with pytest.raises(PlanError, match=r"typed: unknown parameter 'm': expected one of n, flag, items"):
        make_job(nb, {"m": "1"})


class TestAtomicAndIncremental:
    """Its own xdist unit (--dist loadscope groups by class), so the slow tests spread over both cores."""

    def test_a_run_is_atomic_logged_quietly_and_reused_when_nothing_changed(self, tmp_path, monkeypatch,
                                                                             usual_umask):
        """The one test with real kernels (two side by side, then one forced): the whole path, reuse and --force."""
        chart = ("import matplotlib.pyplot as plt\nfig, ax = plt.subplots(figsize=(3, 2))\nax.plot([2001, 2024], [6, 10])\n"
                 "ax.set_title(f'Members, {message}')\nplt.show()")
        good = _notebook(tmp_path / "good.ipynb", "print(message)", "import sys; print('to stderr', file=sys.stderr)",
                         chart)
        bad = _notebook(tmp_path / "bad.ipynb", "x = 1", "raise ValueError(f'broken on purpose: {message}')")
        out = tmp_path / "reports"
        result = _render(good, bad, "-p", "message", "hi", "--output-dir", out, "--jobs", "2")
        assert result.exit_code == 1, result.output
        # In [1] is the parameters cell, In [2] the injected parameters, In [3] "x = 1".
        assert "FAILED bad/message-hi: In [4]: ValueError: broken on purpose: hi" in result.output
        assert not any(word in result.output for word in NOISE[:2]), result.output
        folder = out / "good" / "message-hi"
        assert sorted(p.name for p in folder.iterdir()) == ["good.html", "good.ipynb", "render.log", "report.json",
                                                            "thumbnail.png"]
        # Readable by a web server running as another user (a temporary folder is made 0700), as its files are.
        assert {oct(p.stat().st_mode & 0o777) for p in (folder, folder.parent)} == {"0o755"}
        assert {oct(p.stat().st_mode & 0o777) for p in folder.iterdir()} == {"0o644"}
        # Nothing published names this server's folders: the notebook is named as it was given, by its file.
        executed = nbformat.read(folder / "good.ipynb", as_version=4)
        assert {k: executed.metadata.papermill[k] for k in ("input_path", "output_path")} == {
            "input_path": "good.ipynb", "output_path": "good.ipynb"}
        for published in (folder / "good.ipynb", folder / "report.json", folder / "render.log", out / "manifest.json"):
            assert str(tmp_path) not in published.read_text(), published.name
        assert 'alt="Members, hi"' in (folder / "good.html").read_text()  # a plt.show() chart's title as alt text
        thumbnail = (folder / "thumbnail.png").read_bytes()
        log = (folder / "render.log").read_text()
        assert "hi" in log and "to stderr" in log  # the kernel's output went to the job's own log
        assert "Input Notebook:  good.ipynb" in log and "Output Notebook: good/message-hi/good.ipynb" in log  # as published
        assert not any(word in log for word in NOISE), log
        assert not (out / "bad").exists()
        assert "broken on purpose" in (out / STATE_DIR / "logs" / "bad" / "message-hi.log").read_text()
        assert _leftovers(out) == []

        manifest = _manifest(out)
        entries = {job["notebook"]: job for job in manifest["jobs"]}
        assert {n: e["status"] for n, e in entries.items()} == {"good": "rendered", "bad": "failed"}
        assert manifest["failed"] == 1 and entries["good"]["parameters"] == {"message": "hi"}
        assert set(manifest["data_sha256"]) >= {"memberships.csv", "trade/bilateral_goods_trade.csv",
                                                "geometries/countries_50m.parquet"}
        assert manifest["package_version"] and manifest["git_commit"] and len(manifest["code_sha256"]) == 64
        assert manifest["data_version"] == data_version()
        assert json.loads((folder / "report.json").read_text())["cache_key"] == entries["good"]["cache_key"]
        index = (out / "index.html").read_text()
        assert 'href="good/message-hi/good.html"' in index and '<span class="badge failed">failed</span>' in index

        # Nothing changed: the good report is reused (same key, same files), the failed one is tried again.
        monkeypatch.setattr(run, "_execute", execute_in_process)  # kernels are proven above; the cache is tested here
        mtime = (folder / "good.html").stat().st_mtime_ns
        again = _render(good, bad, "-p", "message", "hi", "--output-dir", out, "--jobs", "2")
        assert again.exit_code == 1 and "1 reused" in again.output
        second = {job["notebook"]: job for job in _manifest(out)["jobs"]}
        assert second["good"]["status"] == "reused" and second["good"]["cache_key"] == entries["good"]["cache_key"]
        assert second["bad"]["status"] == "failed" and "broken on purpose: hi" in second["bad"]["error"]
        assert (folder / "good.html").stat().st_mtime_ns == mtime

        # --force renders again, with a kernel: the same chart must draw the same thumbnail bytes.
        monkeypatch.undo()
        forced = _render(good, "-p", "message", "hi", "--output-dir", out, "--force")
        assert forced.exit_code == 0 and "1 rendered, 0 reused" in forced.output
        assert (folder / "good.html").stat().st_mtime_ns != mtime
        assert oct(folder.stat().st_mode & 0o777) == "0o755" and _leftovers(out) == []  # the old folder is gone
        assert (folder / "thumbnail.png").read_bytes() == thumbnail  # a second render draws the same bytes


class TestEdits:
    """Its own xdist unit (--dist loadscope groups by class), so the slow tests spread over both cores."""

    def test_an_edited_notebook_or_data_file_is_rendered_again(self, tmp_path, data_copy, in_process):
        one = _notebook(tmp_path / "one.ipynb", "print(message)")
        two = _notebook(tmp_path / "two.ipynb", "print(message * 2)")
        out = tmp_path / "reports"
        assert _render(one, two, "--output-dir", out, "--jobs", "2").exit_code == 0
        _notebook(tmp_path / "two.ipynb", "print(message * 3)")
        result = _render(one, two, "--output-dir", out, "--jobs", "2")
        assert result.exit_code == 0
        assert {j["notebook"]: j["status"] for j in _manifest(out)["jobs"]} == {"one": "reused", "two": "rendered"}
        assert "hellohellohello" in (out / "two" / "defaults" / "render.log").read_text()

        path = data_copy / "sources.csv"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(",", ", ", 1), encoding="utf-8")  # one byte of one data file, still valid
        result = _render(one, two, "--output-dir", out, "--jobs", "2")
        assert result.exit_code == 0
        assert {j["status"] for j in _manifest(out)["jobs"]} == {"rendered"}


def test_workers_start_with_the_page_exporter_the_run_prepared(tmp_path, in_process):
    """Forked workers inherit the exporter the run compiled once, instead of each compiling its own first."""
    from sco_research.reports import site

    site._page_exporter.cache_clear()
    probe = _notebook(tmp_path / "probe.ipynb", "import sys\nfrom sco_research.reports import site\n"
                      "print('papermill' in sys.modules, site._page_exporter.cache_info().currsize)")
    out = tmp_path / "reports"
    assert _render(probe, "--output-dir", out, "--jobs", "2").exit_code == 0
    assert "True 1" in (out / "probe" / "defaults" / "render.log").read_text()


def test_a_page_export_that_fails_fails_its_jobs_not_the_run(tmp_path, in_process, monkeypatch):
    """The preparation before the workers start meets the failure first, and leaves it to each job to report."""
    def broken(*args, **kwargs):
        raise OSError("template folder missing")

    monkeypatch.setattr(run, "export_page", broken)
    one = _notebook(tmp_path / "one.ipynb", "print(message)")
    out = tmp_path / "reports"
    result = _render(one, "--output-dir", out, "--jobs", "2")
    assert result.exit_code == 1 and "FAILED one/defaults: In [?]: OSError: template folder missing" in result.output
    assert [job["status"] for job in _manifest(out)["jobs"]] == ["failed"]


def test_prune_removes_the_reports_a_run_no_longer_lists_and_keeping_is_the_default(tmp_path, in_process):
    one = _notebook(tmp_path / "one.ipynb", "print(message)")
    two = _notebook(tmp_path / "two.ipynb", "print(message * 2)")
    out = tmp_path / "reports"
    assert _render(one, two, "--output-dir", out, "--jobs", "1").exit_code == 0
    assert _render(one, "--output-dir", out, "--jobs", "1").exit_code == 0
    assert [(j["notebook"], j["status"]) for j in _manifest(out)["jobs"]] == [("one", "reused"), ("two", "kept")]
    result = _render(one, "--output-dir", out, "--jobs", "1", "--prune")
    assert result.exit_code == 0, result.output
    manifest = _manifest(out)
    assert [(j["notebook"], j["status"]) for j in manifest["jobs"]] == [("one", "reused")]
    assert manifest["pruned"] == ["two/defaults"] and not (out / "two").exists()
    assert 'href="two/' not in (out / "index.html").read_text() and (out / "one" / "defaults" / "report.json").is_file()


class TestLock:
    """Its own xdist unit (--dist loadscope groups by class), so the slow tests spread over both cores."""

    def test_a_second_run_into_the_same_folder_refuses_at_once_naming_the_first(self, tmp_path, in_process):
        good = _notebook(tmp_path / "good.ipynb", "print(message)")
        out = tmp_path / "reports"
        (out / ".tmp-mine").mkdir(parents=True)  # a user's folder that looks temporary is not ours to delete
        out.mkdir(exist_ok=True)
        with output_lock(out.resolve()) as run_id:
            (out / STATE_DIR / "tmp" / "crashed-run").mkdir()
            started = time.monotonic()
            result = _render(good, "--output-dir", out)
            assert time.monotonic() - started < 10
            assert result.exit_code == 75, result.output
            assert f"is being written by run {run_id} (pid {os.getpid()}" in result.output
            # the plan, the stale-data warning if the data are stale today, and the refusal
            lines = 2 + (stale_warning() is not None)
            assert "--wait" in result.output and len(result.output.strip().splitlines()) == lines
            assert not (out / "good").exists()
        assert _render(good, "--output-dir", out).exit_code == 0
        assert (out / ".tmp-mine").is_dir()
        assert _leftovers(out) == []  # the run that died left its folder; the next run holding the lock removed it


class TestOverlap:
    """Its own xdist unit (--dist loadscope groups by class), so the slow tests spread over both cores."""

    def test_overlapping_runs_queue_with_wait_and_list_every_report(self, tmp_path):
        barrier = tmp_path / "go"
        slow = _notebook(tmp_path / "slow.ipynb", f"import os, time\nwhile not os.path.exists({str(barrier)!r}):\n"
                                                 "    time.sleep(0.05)")
        quick = _notebook(tmp_path / "quick.ipynb", "print(message)")
        out = tmp_path / "reports"
        first_err, second_err = tmp_path / "first.err", tmp_path / "second.err"
        first = start_render([slow, "--output-dir", out], tmp_path / "first.out", first_err)
        deadline = time.time() + 60
        while time.time() < deadline and not (out / STATE_DIR / "run.json").exists():
            time.sleep(0.05)
        second = start_render([quick, "--output-dir", out, "--wait"], tmp_path / "second.out", second_err)
        while time.time() < deadline and "waiting for run" not in _text(second_err):
            time.sleep(0.05)
        assert "waiting for run" in _text(second_err)  # queued behind the first, named
        barrier.touch()  # now let the first run finish
        first.join(timeout=120)
        second.join(timeout=120)
        assert second.exitcode == 0, _text(second_err)
        assert first.exitcode == 0, _text(first_err)
        jobs = {(j["output"], j["status"]) for j in _manifest(out)["jobs"]}
        assert jobs == {("quick/defaults", "rendered"), ("slow/defaults", "kept")}
        index = (out / "index.html").read_text()
        assert 'href="quick/defaults/quick.html"' in index and 'href="slow/defaults/slow.html"' in index
        assert _leftovers(out) == []


class TestSignals:
    """Its own xdist unit (--dist loadscope groups by class), so the slow tests spread over both cores."""

    @pytest.mark.parametrize("how, status", [("SIGTERM", 143), ("SIGINT", 130)])
    def test_a_signal_stops_workers_and_kernels_and_leaves_no_partial_report(self, tmp_path, how, status):
        # Each notebook starts a child process, as a kernel is a child of its worker, then sleeps: a
        # process that must not outlive the run, one level below the workers.
        busy = "import subprocess, time\nchild = subprocess.Popen(['sleep', '120'])\ntime.sleep(120)"
        slow = _notebook(tmp_path / "slow.ipynb", busy)
        also = _notebook(tmp_path / "also.ipynb", busy)
        out = tmp_path / "reports"
        notebooks = [slow, also] if how == "SIGTERM" else [slow]  # two workers for one, one for the other
        errors = tmp_path / "render.err"
        process = start_render([*notebooks, "--jobs", "2", "--output-dir", out], tmp_path / "render.out", errors,
                               new_session=True)
        main_process = psutil.Process(process.pid)
        deadline = time.time() + 90
        children = []
        while time.time() < deadline and len(children) < len(notebooks):  # every notebook's child started
            children = [p for p in main_process.children(recursive=True) if _cmdline(p) == ["sleep", "120"]]
            time.sleep(0.05)
        assert len(children) == len(notebooks), "the notebooks never started"
        descendants = main_process.children(recursive=True)
        if how == "SIGTERM":
            os.kill(process.pid, signal.SIGTERM)  # kill PID, docker stop, systemd: the main process only
        else:
            os.killpg(process.pid, signal.SIGINT)  # Ctrl-C in a terminal: the whole process group
        process.join(timeout=60)
        stderr = _text(errors)
        assert process.exitcode == status, stderr[-2000:]
        assert f"interrupted by {how}" in stderr and "Traceback" not in stderr
        time.sleep(0.5)
        alive = [p for p in descendants if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        assert alive == [], [p.cmdline() for p in alive]
        assert {p.pid for p in children} <= {p.pid for p in descendants}
        assert not (out / "slow").exists() and not (out / "also").exists()
        assert _leftovers(out) == []
        manifest = _manifest(out)
        assert manifest["interrupted"] == how and manifest["jobs"] == []


def _text(path: Path) -> str:
    return path.read_text() if path.exists() else ""


def _cmdline(process) -> list[str]:
    try:
        return process.cmdline()
    except psutil.Error:  # ended while we looked
        return []


def test_no_report_can_be_written_outside_the_output_folder(tmp_path):
    sneaky = _notebook(tmp_path / "...ipynb", "print(1)")
    out = tmp_path / "inner" / "reports"
    result = _render(sneaky, "--output-dir", out)
    assert result.exit_code == 2 and "invalid notebook file name '...ipynb'" in result.output
    assert not (tmp_path / "inner").exists()

    good = _notebook(tmp_path / "good.ipynb", "print(message)")
    out.mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / "good").symlink_to(elsewhere)  # a link planted in the output folder
    result = _render(good, "--output-dir", out)
    assert result.exit_code == 2 and "outside" in result.output
    assert list(elsewhere.iterdir()) == []


def test_two_reports_for_one_folder_are_refused_before_anything_is_written(tmp_path):
    """The second would silently replace the first: the same report twice, or two notebooks of one name."""
    out = tmp_path / "out"
    result = _render("02_trade", str(PROJECT / "notebooks" / "02_trade.ipynb"), "-p", "reporter", "KAZ",
                     "--output-dir", out)
    assert result.exit_code == 2, result.output
    assert result.output == ("error: reports 1 and 2 are the same report (02_trade, reporter-KAZ): it would be rendered "
                             "twice into 02_trade/reporter-KAZ/\n")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = (_notebook(tmp_path / folder / "draft.ipynb", "print(message)") for folder in "ab")
    result = _render(first, second, "--output-dir", out)
    assert result.exit_code == 2 and f"different notebooks of one name ({first} and {second})" in result.output
    report_set = tmp_path / "set.yaml"
    report_set.write_text("reports:\n  - notebook: 00_dataset_tour\n  - notebook: 02_trade\n"
                          "  - notebook: 00_dataset_tour\n    edition: lecturer\n")
    result = _render("--reports-file", report_set, "--output-dir", out)
    assert result.exit_code == 2
    assert result.output == (f"error: {report_set}: reports 1 and 3 are the same report (00_dataset_tour, defaults): "
                             "it would be rendered twice into 00_dataset_tour/defaults/\n")
    spaced = tmp_path / "spaced.yaml"
    spaced.write_text(f"reports:\n  - notebook: {first}\n    parameters: {{message: a b}}\n"
                      f"  - notebook: {first}\n    parameters: {{message: a-b}}\n")
    result = _render("--reports-file", spaced, "--output-dir", out)
    assert result.exit_code == 2 and ("reports 1 and 2 have parameters that differ but name one folder "
                                      "({'message': 'a b'} and {'message': 'a-b'})") in result.output
    result = _render("--reports-file", report_set, "--edition", "student", "--output-dir", out)
    assert result.exit_code == 2 and "--edition student needs a NOTEBOOK; a report set gives each entry's" in result.output
    with pytest.raises(PlanError, match="reports 1 and 2 are the same report"):  # the Python API refuses them too
        run.run_jobs([make_job(first), make_job(first)], out)
    assert not out.exists()


def _unwritable(tmp_path) -> Path:
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        (folder / "probe").touch()
    except PermissionError:
        return folder
    (folder / "probe").unlink()  # running as root, where permissions do not bind: a folder nobody can write
    return Path("/sys/sco-research-reports")


def test_unwritable_output_folders_give_one_line_and_exit_2(tmp_path):
    good = _notebook(tmp_path / "good.ipynb", "print(message)")
    target = _unwritable(tmp_path)
    result = _render(good, "--output-dir", target / "reports")
    assert result.exit_code == 2, result.output
    assert result.output.startswith("error: cannot write into the output folder") and len(result.output.splitlines()) == 1
    a_file = tmp_path / "file.txt"
    a_file.write_text("not a folder")
    result = _render(good, "--output-dir", a_file / "reports")
    assert result.exit_code == 2 and "cannot write into the output folder" in result.output
    assert len(result.output.splitlines()) == 1 and a_file.read_text() == "not a folder"


def test_malformed_yaml_gives_file_line_and_column(tmp_path):
    broken = tmp_path / "reports.yaml"
    broken.write_text("reports:\n  - notebook: 02_trade\n    parameters: {reporter: [KAZ}\n")
    result = _render("--reports-file", broken, "--output-dir", tmp_path / "out")
    assert result.exit_code == 2
    assert result.output == f"error: {broken}, line 3, column 32: the report set is not valid YAML: expected ',' or ']', but got '}}'\n"
    params = tmp_path / "params.yaml"
    params.write_text("reporter: KAZ\n  start_year: 2005\n")
    result = _render("02_trade", "--params-file", params, "--output-dir", tmp_path / "out")
    assert result.exit_code == 2 and f"error: {params}, line 2, column 13: the parameters file is not valid YAML" in result.output
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("reports:\n  - notebook: 02_trade\n    parameters: {reporter: USA}\n")
    result = _render("--reports-file", wrong, "--output-dir", tmp_path / "out")
    assert result.exit_code == 2 and "report 1: 02_trade: invalid reporter='USA'" in result.output
    assert not (tmp_path / "out").exists()
