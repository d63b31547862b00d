"""reveal.js slides of an executed notebook that work offline."""

from __future__ import annotations

import shutil
from pathlib import Path

from .editions import show_exercise_code_only

#: reveal.js, require.js, jQuery and stubs, vendored by ``scripts/vendor_slides.py``.
SLIDE_ASSETS = Path(__file__).resolve().parent / "static" / "slides"


def export_slides(nb, folder: Path) -> str:
    """reveal.js slides that work offline: the assets are copied next to the HTML.

    Code is shown only in the exercise cells (see :func:`~sco_research.reports.editions.show_exercise_code_only`).

    nbconvert's template would load reveal.js, require.js, jQuery, MathJax and mermaid from CDNs; every URL
    points into ``slides-assets/`` instead (see ``scripts/vendor_slides.py``).
    """
    from nbconvert import SlidesExporter

    shutil.copytree(SLIDE_ASSETS, folder / "slides-assets", dirs_exist_ok=True)
    exporter = SlidesExporter( exclude_input_prompt=True, exclude_output_prompt=True,
                              reveal_url_prefix="slides-assets/reveal.js", require_js_url="slides-assets/require.js",
                              jquery_url="slides-assets/jquery.min.js", mathjax_url="slides-assets/mathjax-stub.js",
                              mermaid_js_url="slides-assets/mermaid-stub.mjs", font_awesome_url="")
    body, _ = exporter.from_notebook_node(show_exercise_code_only(nb))
    return body
