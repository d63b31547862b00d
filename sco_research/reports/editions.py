"""Editions of a seminar notebook: the lecturer's (the whole notebook) and the students'.

Seminars follow nbgrader's cell-metadata conventions, so a lecturer can also
release and grade them with nbgrader:

* an **answer cell** (``metadata.nbgrader.solution: true``) holds the solution
  between ``### BEGIN SOLUTION`` and ``### END SOLUTION``; a markdown answer
  cell (an interpretive question) holds a model answer;
* a **check cell** (``metadata.nbgrader.grade: true`` with ``points``, locked)
  calls :meth:`sco_research.reports.exercises.Exercises.check`, which prints
  "right" or raises a one-line "not yet". It is tagged ``raises-exception``, so
  that JupyterLab's "Run All", nbclient and nbval go on past a failing check.

The **lecturer edition** is the executed notebook: solution code, its output and
every check passing. The **student edition** is made from it by nbgrader's own
``ClearSolutions`` preprocessor (solution regions become a stub, markdown
answers "YOUR ANSWER HERE"), with the outputs of answer and check cells
removed. In exported pages and slides, code is shown only in the exercise
cells (answers and checks); every other cell shows its output alone.

Why nbgrader itself rather than a copy of its rule: its dependencies install
cleanly from PyPI beside the pinned environment (SQLAlchemy, alembic, Mako,
RapidFuzz and the classic ``notebook`` package come along), and the student
edition is then what ``nbgrader generate_assignment`` would produce from the
same cells. It is imported only when a student edition is made.
"""

from __future__ import annotations

import copy

#: What replaces a solution region in the student edition. nbgrader's default also raises
#: NotImplementedError, which would stop JupyterLab's "Run All" at the first exercise; here the
#: answer stays ``...`` and the check cell after it says so politely.
CODE_STUB = "# YOUR CODE HERE"


def _grading(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def is_answer_cell(cell) -> bool:
    """A cell students answer in (nbgrader ``solution``)."""
    return bool(_grading(cell).get("solution"))


def is_check_cell(cell) -> bool:
    """A cell that checks an answer (nbgrader ``grade``, not an answer itself)."""
    return bool(_grading(cell).get("grade")) and not is_answer_cell(cell)


def is_speaker_notes(cell) -> bool:
    """A cell of reveal.js speaker notes (slide type ``notes``): in the lecturer edition only."""
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type") == "notes"


def student_edition(nb):
    """The notebook students receive: solutions replaced by stubs, answer and check outputs and speaker notes removed.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed lecturer edition (left unchanged).

    Returns
    -------
    nbformat.NotebookNode

    Examples
    --------
    >>> import nbformat
    >>> cell = nbformat.v4.new_code_cell("answer_1 = ...\\n### BEGIN SOLUTION\\nanswer_1 = 42\\n### END SOLUTION",
    ...                                  metadata={"nbgrader": {"solution": True, "grade": False,
    ...                                                         "grade_id": "answer-1", "schema_version": 3}})
    >>> print(student_edition(nbformat.v4.new_notebook(cells=[cell])).cells[0].source)
    answer_1 = ...
    # YOUR CODE HERE
    """
    from nbgrader.preprocessors import ClearSolutions

    nb = copy.deepcopy(nb)
    nb.cells = [cell for cell in nb.cells if not is_speaker_notes(cell)]  # for the lecturer only
    nb, _ = ClearSolutions(code_stub={"python": CODE_STUB}).preprocess(nb, {})
    for cell in nb.cells:
        if cell.cell_type == "code" and (is_answer_cell(cell) or is_check_cell(cell)):
            cell.outputs = []
            cell.execution_count = None
    return nb


def show_exercise_code_only(nb):
    """A copy whose code cells hide their source, except answer and check cells (for exported pages and slides).

    nbconvert leaves out the source of a cell whose ``metadata.transient.remove_source`` is true (the mark
    its ``TagRemovePreprocessor`` sets), so exporters run with inputs included show exactly these.
    """
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "code" and not (is_answer_cell(cell) or is_check_cell(cell)):
            cell.metadata.setdefault("transient", {})["remove_source"] = True
    return nb
