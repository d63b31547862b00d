"""reveal.js slides of an executed notebook that work offline."""

from __future__ import annotations

import shutil
from functools import cache
from pathlib import Path

from .editions import show_exercise_code_only

#: reveal.js, require.js, jQuery and stubs, vendored by ``scripts/vendor_slides.py``.
SLIDE_ASSETS = Path(__file__).resolve().parent / "static" / "slides"
#: The template imports mermaid as an ES module. Browsers refuse module scripts from file: pages (no CORS
#: there), so a file next to the slides cannot stand in for it offline; a data: URL module can.
MERMAID_STUB = "data:text/javascript,export default {initialize() {}, run() {}};"
#: The slide size in CSS pixels: a 1280 x 720 screen or projector shows the slides at scale 1.
SLIDE_WIDTH, SLIDE_HEIGHT = 1280, 720
#: Added to nbconvert's reveal template, so that every slide of a seminar fits SLIDE_WIDTH x SLIDE_HEIGHT:
#: figures at most 430 px high (room for a heading and two lines of text), code and text outputs wrapped at
#: spaces rather than scrolled sideways (long URLs wherever they must), code and outputs a little smaller.
SLIDE_STYLE = """
:root { --jp-code-font-size: 16px; }
.reveal .highlight { margin: 0.4em 0; }
.reveal .jp-CodeMirrorEditor pre { box-sizing: border-box; }
.reveal .jp-OutputArea-output img { max-height: 430px; width: auto; max-width: 100%; }
.reveal .jp-CodeMirrorEditor pre, .reveal .jp-OutputArea-output pre { white-space: pre-wrap; overflow-wrap: anywhere; }
.reveal .jp-OutputArea-output pre { font-size: 15px; line-height: 1.3; }
.reveal .jp-RenderedHTMLCommon table { font-size: 15px; }
"""


def export_slides(nb, folder: Path) -> str:
    """reveal.js slides that work offline: the assets are copied next to the HTML.

    Code is shown only in the exercise cells (see :func:`~sco_research.reports.editions.show_exercise_code_only`).

    nbconvert's template would load reveal.js, require.js, jQuery, MathJax and mermaid from CDNs; every URL
    points into ``slides-assets/`` instead (see ``scripts/vendor_slides.py``).
    """
    shutil.copytree(SLIDE_ASSETS, folder / "slides-assets", dirs_exist_ok=True)
    body, _ = _slides_exporter().from_notebook_node(show_exercise_code_only(nb))
    return body.replace("</head>", f'<style type="text/css">{SLIDE_STYLE}</style>\n</head>', 1)


@cache
def _slides_exporter():
    """One exporter per process: each new one compiles its Jinja templates again (about 0.4 s a seminar).

    Not for threads: a conversion sets the exporter's filters and metadata for its notebook. Renders run their
    jobs in worker processes, one job at a time each.
    """
    from nbconvert import SlidesExporter

    return SlidesExporter(exclude_input_prompt=True, exclude_output_prompt=True, reveal_width=str(SLIDE_WIDTH),
                          reveal_height=str(SLIDE_HEIGHT), reveal_url_prefix="slides-assets/reveal.js",
                          require_js_url="slides-assets/require.js", jquery_url="slides-assets/jquery.min.js",
                          mathjax_url="slides-assets/mathjax-stub.js", mermaid_js_url=MERMAID_STUB,
                          font_awesome_url="")
