"""Editions of a seminar notebook: the lecturer's (the whole notebook) and the students'.

A report job names its edition (``lecturer``, the default, or ``student``); the
executed notebook is turned into that edition before it is exported.
"""

from __future__ import annotations


def student_edition(nb):
    """The notebook without its ``solution`` cells (and so without their outputs).

    Solutions are executed first, so that later cells can use their results,
    and removed from what students receive.
    """
    nb = nb.copy()
    nb.cells = [c for c in nb.cells if "solution" not in c.get("metadata", {}).get("tags", [])]
    return nb
