"""reveal.js slides of an executed notebook that work offline."""

from __future__ import annotations

import shutil
from pathlib import Path

#: reveal.js, require.js, jQuery and stubs, vendored by ``scripts/vendor_slides.py``.
SLIDE_ASSETS = Path(__file__).resolve().parent / "static" / "slides"


def export_slides(nb, folder: Path) -> str:
    """reveal.js slides without code cells that work offline: the assets are copied next to the HTML.

    nbconvert's template would load reveal.js, require.js, jQuery, MathJax and mermaid from CDNs; every URL
    points into ``slides-assets/`` instead (see ``scripts/vendor_slides.py``).
    """
    from nbconvert import SlidesExporter

    shutil.copytree(SLIDE_ASSETS, folder / "slides-assets", dirs_exist_ok=True)
    exporter = SlidesExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
                              reveal_url_prefix="slides-assets/reveal.js", require_js_url="slides-assets/require.js",
                              jquery_url="slides-assets/jquery.min.js", mathjax_url="slides-assets/mathjax-stub.js",
                              mermaid_js_url="slides-assets/mermaid-stub.mjs", font_awesome_url="")
    body, _ = exporter.from_notebook_node(nb)
    return body
