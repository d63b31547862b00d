"""Seminar notebooks: structure, nbgrader self-checks in both editions, the exported editions, the live explorer."""

import re

import nbformat
import pytest

from conftest import PROJECT

TEACHING = sorted((PROJECT / "notebooks" / "teaching").glob("*.ipynb"))
SECTIONS = ("## Overview", "## Prerequisites", "## Learning goals", "## Summary", "## References")


def _tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def _grading(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def _exercises(nb):
    """(number, exercise markdown cell, answer cell, check cell) of every auto-checked exercise, in order."""
    found = []
    for i, cell in enumerate(nb.cells):
        match = re.match(r"### Exercise (\d+)", cell.source) if cell.cell_type == "markdown" else None
        if match and "exercise" in _tags(cell) and nb.cells[i + 1].cell_type == "code":
            found.append((int(match.group(1)), cell, nb.cells[i + 1], nb.cells[i + 2]))
    return found


def test_three_seminars_exist():
    assert [p.stem for p in TEACHING] == ["how_the_sco_grew", "trade_and_power", "who_runs_the_sco"]


@pytest.mark.parametrize("path", TEACHING, ids=lambda p: p.stem)
def test_seminar_structure_and_nbgrader_cells(path):
    from nbgrader.utils import determine_grade

    nb = nbformat.read(path, 4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for heading in SECTIONS:
        assert heading in text, heading
    assert "minutes to learn" in text or "hour to learn" in text
    exercises = _exercises(nb)
    assert [n for n, *_ in exercises] == list(range(1, len(exercises) + 1)) and len(exercises) >= 3
    for number, _, answer, check in exercises:
        # The answer cell: nbgrader's solution region, after a line that keeps the answer's name defined.
        assert _grading(answer)["solution"] and not _grading(answer)["grade"]
        assert answer.source.startswith(f"answer_{number} = ...  # (")
        assert "### BEGIN SOLUTION" in answer.source and answer.source.endswith("### END SOLUTION")
        # The check cell: graded, locked, one call into the package, and run past when it fails.
        grading = _grading(check)
        assert grading["grade"] and not grading["solution"] and grading["locked"] and grading["points"] == 1
        assert check.source == f"exercises.check({number}, answer_{number})"
        assert "raises-exception" in _tags(check)
        # Committed executed (nbval reproduces it in a fresh kernel): the lecturer edition's checks pass, with
        # full points from nbgrader's autograder.
        assert [o.get("text") for o in check.outputs] == [f"Exercise {number}: right.\n"]
        assert determine_grade(check) == (1.0, 1.0)
    written = [c for c in nb.cells if c.cell_type == "markdown" and _grading(c).get("solution")]
    assert written and all(_grading(c)["grade"] and _grading(c)["points"] for c in written)  # graded by hand
    ids = [_grading(c)["grade_id"] for c in nb.cells if _grading(c)]
    assert len(ids) == len(set(ids))
    assert sum(c.metadata.get("slideshow", {}).get("slide_type") == "notes" for c in nb.cells) >= 2


def test_the_third_seminar_cites_only_sources_in_the_data():
    import sco_research as sco

    nb = nbformat.read(PROJECT / "notebooks" / "teaching" / "who_runs_the_sco.ipynb", 4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    cited = {i for group in re.findall(r"\[([a-z0-9_]+(?:, [a-z0-9_]+)*)\]", text) for i in group.split(", ")}
    start = next(i for i, c in enumerate(nb.cells) if c.source.startswith("## References"))
    references = [c for c in nb.cells[start:] if c.cell_type == "code"]
    listed = {i for c in references for i in re.findall(r'"([a-z0-9_]+)"', c.source)}
    assert len(cited) >= 10 and cited <= listed  # every source cited in the text is in the references
    assert listed <= set(sco.load_sources()["source_id"]), listed - set(sco.load_sources()["source_id"])
    # shown as linked citations on the page, one "[id] citation" line each as text
    page = "".join(o["data"]["text/html"] for c in references for o in c.outputs)
    printed = "".join(o["data"]["text/plain"] for c in references for o in c.outputs)
    assert all(f'<li id="source-{source_id}">' in page and f"[{source_id}] " in printed for source_id in listed)


def test_the_student_edition_has_stubs_and_checks_and_no_solutions():
    from nbgrader.preprocessors import CheckCellMetadata

    from sco_research.reports.editions import student_edition

    for path in TEACHING:
        lecturer = nbformat.read(path, 4)
        CheckCellMetadata().preprocess(nbformat.read(path, 4), {})  # nbgrader itself accepts the cells' metadata
        student = student_edition(lecturer)
        assert lecturer == nbformat.read(path, 4)  # the lecturer edition is left as it was
        for (number, _, answer, check), (_, _, solution, _) in zip(_exercises(student), _exercises(lecturer)):
            assert answer.source == solution.source.split("\n")[0] + "\n# YOUR CODE HERE"
            assert answer.outputs == [] and check.outputs == []
            assert check.source == f"exercises.check({number}, answer_{number})"
        assert all(c.source == "YOUR ANSWER HERE" for c in student.cells
                   if c.cell_type == "markdown" and _grading(c).get("solution"))
        assert not any(c.metadata.get("slideshow", {}).get("slide_type") == "notes" for c in student.cells)
        assert len(student.cells) == len(lecturer.cells) - sum(
            c.metadata.get("slideshow", {}).get("slide_type") == "notes" for c in lecturer.cells)


def _page_text(page: str) -> str:
    """The text of an HTML page, without tags (highlighted code is split into many spans)."""
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_pages_show_the_code_of_exercises_only():
    from sco_research.reports.editions import student_edition
    from sco_research.reports.site import export_page, notebook_info

    def page(nb):
        return _page_text(export_page(nb, info=notebook_info(nb), parameters="defaults", rendered="2026-11-27",
                                      checked_through="2026-11-27", package_version="test"))

    lecturer = nbformat.read(PROJECT / "notebooks" / "teaching" / "how_the_sco_grew.ipynb", 4)
    text = page(lecturer)
    assert "sorted(set(after) - set(before))" in text  # the solution's code...
    assert "(6, 8, ['IND', 'PAK'], 17)" in text and "Exercise 1: right." in text  # ...its output and the check
    assert "GrowthSeminarParameters" not in text and "plot_status_counts(" not in text  # no other code
    assert "Speaker notes." in text
    text = page(student_edition(lecturer))
    assert "# YOUR CODE HERE" in text and "exercises.check(1, answer_1)" in text
    assert "sorted(set(after)" not in text and "Exercise 1: right." not in text and "Speaker notes." not in text
    from sco_research import latest_date

    assert f"Studying the SCO on {latest_date().date()}" in text  # the rest of the notebook, with its outputs


# ---------------------------------------------------------------------------------------------------------------------
# The self-checks, run in a kernel.


class TestSelfChecksInAKernel:
    """One kernel runs every seminar's checks on the student edition's stubs (a class: loadscope spreads classes)."""

    @pytest.fixture(scope="class")
    def checks_run(self):
        """Each seminar's parameters and setup cells, then the student edition's answer and check cells.

        Only the cells the checks need run (no map is drawn): the checks depend on the parameters and answers
        alone. Check cells carry ``raises-exception``, so nbclient goes on past the failing ones, as JupyterLab does.
        (The lecturer edition's checks run in the committed notebooks, which nbval executes, and in ``lab_run``.)
        """
        from nbclient import NotebookClient

        from sco_research.reports.editions import is_answer_cell, is_check_cell, student_edition
        from sco_research.reports.rendering import quiet_kernel_manager

        cells, where = [], []
        for path in TEACHING:
            lecturer = nbformat.read(path, 4)
            first = [c for c in lecturer.cells if c.cell_type == "code"][:2]  # the parameters and the setup
            student = student_edition(lecturer)
            for cell in first + [c for c in student.cells if c.cell_type == "code" and (is_answer_cell(c) or is_check_cell(c))]:
                cells.append(nbformat.v4.new_code_cell(cell.source, metadata=cell.metadata))
                where.append((path.stem, is_check_cell(cell)))
        nb = nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "language": "python",
                                                                          "display_name": "Python 3"}})
        NotebookClient(nb, kernel_name="python3", kernel_manager_class=quiet_kernel_manager(),
                       resources={"metadata": {"path": str(TEACHING[0].parent)}}).execute()
        return [(*place, cell) for place, cell in zip(where, nb.cells)]

    def test_every_check_fails_politely_in_the_student_edition(self, checks_run):
        from sco_research.reports.exercises import EXERCISES

        checks = [(name, cell) for name, is_check, cell in checks_run if is_check]
        assert len(checks) == sum(len(v) for v in EXERCISES.values())
        for name, cell in checks:
            number = re.search(r"check\((\d+)", cell.source).group(1)
            (error,) = cell.outputs
            assert error.output_type == "error" and error.ename == "NotYet"
            # One line, no traceback: what the answer must hold, not its value.
            assert error.traceback == [f"Exercise {number}: not yet. Replace the ... of answer_{number} with your "
                                       f"answer: {error.evalue.split(': ', 2)[-1]}"], (name, error.traceback)
        # nbgrader's autograder would give every one of them no points.
        from nbgrader.utils import determine_grade

        assert {determine_grade(cell) for _, cell in checks} == {(0, 1.0)}
        # Nothing else failed: the stubbed answer cells run, and no other cell raised.
        others = [cell for _, is_check, cell in checks_run if not is_check]
        assert not [o for cell in others for o in cell.outputs if o.output_type == "error"]


def test_a_wrong_answer_names_the_part_not_the_value():
    from sco_research.reports.exercises import Exercises, NotYet
    from sco_research.reports.parameters import TradeSeminarParameters, WhoRunsSeminarParameters

    exercises = Exercises(WhoRunsSeminarParameters(as_of="2017-06-09"))
    with pytest.raises(NotYet, match=r"^Exercise 3: not yet\. The members on that day that have not provided one "
                                     r"are not right yet\.$"):
        exercises.check(3, (5, 5, ["IND", "PAK"]))
    exercises.check(3, (5, 5, ["pak", "uzb", "ind"]))  # any order, any case
    with pytest.raises(NotYet, match=r"Expected 3 values in this order: \(the number of Secretaries-General"):
        exercises.check(3, [5, 5])
    trade = Exercises(TradeSeminarParameters(reporter="RUS"))
    with pytest.raises(NotYet, match="The ISO3 code of the side that recorded more is not right yet"):
        trade.check(3, (*[v for v in _expected(trade, 3)[:2]], "XXX"))
    trade.check(3, _expected(trade, 3))  # the checks follow the reporter parameter


def _expected(exercises, number):
    return tuple(part.expected(exercises.parameters) for part in exercises.exercises[number])


# ---------------------------------------------------------------------------------------------------------------------
# The explorer in JupyterLab: one run of the seminar as JupyterLab runs it, shared by the tests below.

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def test_only_the_explorer_asks_which_client_runs_the_kernel():
    """The premise of the JupyterLab run below, which executes only the cells that lead to the explorer."""
    asking = sorted(path.relative_to(PROJECT).as_posix() for path in (PROJECT / "sco_research").rglob("*.py")
                    if re.search(r"allow_stdin|widgets_available\(", path.read_text(encoding="utf-8")))
    assert asking == ["sco_research/plotting/explore.py"]


class TestInJupyterLab:
    """The seminar run once as JupyterLab runs it, and saved (a class: loadscope spreads classes)."""

    @pytest.fixture(scope="class")
    def lab_run(self, tmp_path_factory):
        """``how_the_sco_grew`` run in a kernel that is asked what JupyterLab asks, and saved.

        JupyterLab sends its execute requests with ``allow_stdin=True`` (a person can answer ``input()``);
        headless executors send ``False``, which is how the package tells them apart. nbclient records the
        widget state that the kernel's widget comms send, as JupyterLab does when it saves widget state.

        Only the explorer asks which kind of client it runs in (``plotting.explore``), so the run is the cells
        up to the package's setup and the explorer's cell; the rest are tagged to be skipped (nbclient's
        ``skip-execution``) and keep their committed outputs, which nbval checks in a fresh kernel.
        """
        import os
        import queue
        import time

        from nbclient import NotebookClient

        from sco_research.reports.rendering import quiet_kernel_manager

        class LabLikeClient(NotebookClient):
            async def async_start_new_kernel_client(self):
                client = await super().async_start_new_kernel_client()
                client.allow_stdin = True  # what JupyterLab sends; nbclient sets False
                # nbclient answers the Output widget by sending on the shell socket while it waits on that socket
                # for the execute reply; under load the wait then misses the reply and returns only when its
                # timeout ends (nbclient issue #312, PR #311). Waiting in half-second slices sees the reply at the
                # next slice; the cell's timeout still applies to the whole wait.
                wait = client.shell_channel.get_msg

                async def get_msg_in_slices(timeout=None):
                    deadline = None if timeout is None else time.monotonic() + timeout
                    while True:
                        left = 0.5 if deadline is None else max(0.0, min(0.5, deadline - time.monotonic()))
                        try:
                            return await wait(timeout=left)
                        except queue.Empty:
                            if deadline is not None and time.monotonic() >= deadline:
                                raise

                client.shell_channel.get_msg = get_msg_in_slices
                return client

        source = PROJECT / "notebooks" / "teaching" / "how_the_sco_grew.ipynb"
        env = {k: v for k, v in os.environ.items() if k != "SCO_RESEARCH_STATIC_WIDGETS"}
        nb = nbformat.read(source, 4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        setup = next(i for i, c in enumerate(code) if "import sco_research" in c.source)
        for i, cell in enumerate(code):
            if i > setup and "membership_explorer()" not in cell.source:
                cell.metadata.setdefault("tags", []).append("skip-execution")
        # coalesce_streams: a cell's printed text is one output whatever the kernel's flush timing split it into,
        # as JupyterLab's output area merges consecutive stream messages (under load "right." and its newline
        # arrived as two messages).
        LabLikeClient(nb, kernel_name="python3", kernel_manager_class=quiet_kernel_manager(),
                      store_widget_state=True, coalesce_streams=True, timeout=60, startup_timeout=60,
                      resources={"metadata": {"path": str(source.parent)}}).execute(env=env)
        saved = tmp_path_factory.mktemp("lab") / source.name
        nbformat.write(nb, saved)
        return {"nb": nb, "saved": saved}


    def test_the_explorer_is_displayed_as_a_live_widget_in_jupyterlab(self, lab_run):
        import sco_research as sco
        from sco_research.plotting.explore import explorer_dates

        output = _explorer_output(lab_run["nb"])
        assert {WIDGET_VIEW, "image/png", "text/plain"} <= set(output["data"])  # the view, and a picture for static viewers
        state = lab_run["nb"].metadata["widgets"][WIDGET_STATE]["state"]
        box = state[output["data"][WIDGET_VIEW]["model_id"]]  # the displayed model is in the saved state
        assert box["model_name"] == "VBoxModel"
        children = [state[ref.removeprefix("IPY_MODEL_")] for ref in box["state"]["children"]]
        slider, selector, shown = children
        assert slider["model_name"] == "SelectionSliderModel"
        assert slider["state"]["_options_labels"] == [d.date().isoformat() for d in explorer_dates()]
        assert slider["state"]["_options_labels"][slider["state"]["index"]] == str(sco.latest_date().date())
        assert selector["state"]["_options_labels"] == list(sco.STATUSES)
        # The map was drawn into the widget's output area, not into the cell.
        assert shown["model_name"] == "OutputModel"
        assert [list(o["data"]) for o in shown["state"]["outputs"]] == [["image/png", "text/plain"]]


    def test_a_notebook_saved_from_jupyterlab_passes_nbval(self, lab_run):
        """Saved from JupyterLab, the notebook has the outputs nbval expects, by nbval's own comparison.

        ``make test`` runs nbval on the committed notebook (a fresh kernel must reproduce its outputs); here the
        JupyterLab run's cells must equal the committed outputs under nbval's comparison (its skipped keys,
        such as widget model ids and images, and tests/nbval_sanitize.cfg), so saving it over the committed
        notebook keeps nbval green, without a second kernel run of the seminar.
        """
        from types import SimpleNamespace

        from nbval.plugin import IPyNbCell, get_sanitize_patterns

        committed = nbformat.read(PROJECT / "notebooks" / "teaching" / "how_the_sco_grew.ipynb", 4)
        saved = nbformat.read(lab_run["saved"], 4)
        patterns = dict(get_sanitize_patterns((PROJECT / "tests" / "nbval_sanitize.cfg").read_text()))
        # nbval's comparison reads only these attributes of the collector and the cell item.
        # nbval's default skip list (IPyNbFile.__init__, without --nbdime): model ids and images are not compared.
        parent = SimpleNamespace(sanitize_patterns=patterns, skip_compare=(
            "metadata", "traceback", "prompt_number", "output_type", "name", "execution_count",
            "application/vnd.jupyter.widget-view+json", "image/png", "image/jpeg"))
        item = SimpleNamespace(parent=parent, colors=SimpleNamespace(FAIL="", ENDC="", OKBLUE="", OKGREEN=""))
        item.sanitize = lambda text: IPyNbCell.sanitize(item, text)
        item.format_output_compare = lambda key, left, right: item.comparison_traceback.append(
            f"{key}: committed {left!r} != saved {right!r}")
        assert len(saved.cells) == len(committed.cells)
        code = [(c, s) for c, s in zip(committed.cells, saved.cells)
                if c.cell_type == "code" and "skip-execution" not in s.metadata.get("tags", [])]
        assert len(code) >= 3 and any("membership_explorer()" in c.source for c, _ in code)  # what the run executed
        different = [(c.source[:40], item.comparison_traceback) for c, s in code
                     if "nbval-ignore-output" not in c.metadata.get("tags", [])
                     and not IPyNbCell.compare_outputs(item, s.outputs, c.outputs)]
        assert different == []



def _explorer_output(nb):
    cells = [c for c in nb.cells if c.cell_type == "code" and "membership_explorer()" in c.source]
    assert len(cells) == 1
    (output,) = cells[0].outputs
    return output


# ---------------------------------------------------------------------------------------------------------------------
# Slides that fit: every slide of every seminar, both editions, measured in headless Chromium (tests/browser.py).

#: Every slide's size (unscaled CSS pixels) and what sticks out of it or scrolls inside it, slide by slide.
MEASURE_SLIDES = """async () => {
    const Reveal = await new Promise(done => require(["slides-assets/reveal.js/dist/reveal.js"], done));
    const config = Reveal.getConfig(), found = [];
    for (const slide of Reveal.getSlides()) {
        const at = Reveal.getIndices(slide);
        Reveal.slide(at.h, at.v);
        const box = slide.getBoundingClientRect(), scale = Reveal.getScale(), outside = [];
        for (const el of slide.querySelectorAll("*")) {
            if (el.closest("aside.notes")) continue;  // speaker notes are not on the slide
            const r = el.getBoundingClientRect(), name = el.tagName.toLowerCase() + "." + String(el.className).split(" ")[0];
            if (r.width && (r.right - box.left) / scale > config.width + 1) outside.push(name + " ends past the right edge");
            if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== "visible")
                outside.push(name + " scrolls sideways");
        }
        found.push({slide: `${at.h}/${at.v}`, title: (slide.querySelector("h1, h2, h3") || {}).textContent || "",
                    height: slide.scrollHeight, outside: outside.slice(0, 3)});
    }
    return {width: config.width, height: config.height, slides: found};
}"""


class TestSlidesInChromium:
    """Both editions of every seminar as slides, each slide measured (a class: loadscope spreads classes)."""

    @pytest.fixture(scope="class")
    def slides(self, tmp_path_factory):
        """Both editions of every seminar as slides, exported from the committed (executed) notebooks: no kernel."""
        from sco_research.reports.editions import student_edition
        from sco_research.reports.slides import export_slides

        folder = tmp_path_factory.mktemp("slides")
        written = {}
        for path in TEACHING:
            lecturer = nbformat.read(path, 4)
            for edition, nb in (("lecturer", lecturer), ("student", student_edition(lecturer))):
                target = folder / f"{path.stem}.{edition}.slides.html"
                target.write_text(export_slides(nb, folder), encoding="utf-8")
                written[path.stem, edition] = target
        return written


    @pytest.mark.parametrize("edition", ["lecturer", "student"])
    @pytest.mark.parametrize("seminar", [p.stem for p in TEACHING])
    def test_every_slide_fits_1280_by_720_in_chromium(self, slides, open_page, seminar, edition):
        from browser import problems

        page = open_page(slides[seminar, edition], 1280, 720)  # a failing test keeps a screenshot of it
        page.wait_for_selector(".reveal.ready", timeout=30_000)
        measured = page.evaluate(MEASURE_SLIDES)
        assert (measured["width"], measured["height"]) == (1280, 720)
        assert len(measured["slides"]) >= 10
        too_big = [s for s in measured["slides"] if s["height"] > measured["height"] or s["outside"]]
        assert too_big == [], too_big
        assert problems(page) == []  # no console error, no request leaving the machine, no missing file
        notes = page.locator("aside.notes").count()
        assert notes >= 2 if edition == "lecturer" else notes == 0  # speaker notes for the lecturer only
