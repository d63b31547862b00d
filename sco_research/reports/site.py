"""The report site: each report's page and the front page, from the Jinja templates in ``templates/sco_site/``.

A render folder is a small static site that works offline and behind a strict
content-security policy: every page inlines the one stylesheet
(``templates/sco_site/site.css``), charts are embedded PNGs, and nothing is
loaded from elsewhere (no require.js, MathJax or CDN).

* :func:`export_page` turns an executed notebook into its page (nbconvert's
  ``HTMLExporter`` with the ``sco_site`` template: no code, a header linking
  back to the front page, a real ``<title>``, the chart titles as alt text).
* :func:`write_front_page` writes ``index.html``: one card per report, grouped,
  with title, description, parameters in words, dates and a thumbnail
  (:func:`write_thumbnail`), and the stale-data warning when it applies.

What a report is called, what it is about and where it belongs are declared
once, in the notebook itself: the title is its first ``#`` heading (what the
page shows), and ``metadata["sco_research"]`` holds a one-line ``description``
and the ``group`` (see :func:`notebook_info`). A notebook's metadata travels
with it into every executed copy, so the page and the front page read the
same values, and a rendered report keeps them in its ``report.json``.
"""

from __future__ import annotations

import base64
import io
import re
from functools import cache, lru_cache
from pathlib import Path

from ..data import coverage, load_states, stale_warning
from ..params import day_in_words
from .editions import show_exercise_code_only

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "sco_site"
SITE_NAME = "SCO research reports"
#: The groups of the front page, in order: ``metadata["sco_research"]["group"]`` of a notebook is one of these keys.
GROUPS = {"membership": "Membership", "trade": "Trade", "chairmanships": "Chairmanships and summits",
          "claims": "Claims", "teaching": "Teaching", "other": "Other reports"}
EDITION_LABELS = {"lecturer": "Lecturer edition", "student": "Student edition"}
THUMBNAIL = "thumbnail.png"
THUMBNAIL_WIDTH = 480
_LANGUAGES = {"en": "English", "ru": "Russian", "zh": "Chinese"}
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@lru_cache(maxsize=1)
def templates():
    """The Jinja environment of the site's own templates (autoescaped; nbconvert loads the page template itself)."""
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATE_DIR / TEMPLATE_NAME), autoescape=True,
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


def notebook_info(nb) -> dict:
    """Title, one-line description and front-page group of a notebook (see the module docstring).

    Examples
    --------
    >>> import nbformat
    >>> from sco_research.reports.rendering import NOTEBOOK_DIR
    >>> info = notebook_info(nbformat.read(NOTEBOOK_DIR / "02_trade.ipynb", 4))
    >>> info["title"], info["group"]
    ('Trade and the SCO', 'trade')
    """
    title = ""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            found = re.search(r"^#\s+(.+?)\s*$", cell.source, re.M)
            if found:
                title = found.group(1)
                break
    declared = nb.metadata.get("sco_research", {})
    group = declared.get("group", "other")
    return {"title": title or "Untitled report", "description": declared.get("description", ""),
            "group": group if group in GROUPS else "other"}


_COLUMN_GAP = re.compile(r"\S {3,}\S")


def looks_tabular(text: str) -> bool:
    """Whether printed text is a table (columns aligned by runs of spaces) rather than sentences.

    The page keeps such text unwrapped, in a box that scrolls sideways; sentences wrap at the page's width.

    Examples
    --------
    >>> looks_tabular(" year   share\\n 2001     2.4\\n 2002     2.3\\n")
    True
    >>> looks_tabular("Members on 2017-06-09: CHN, IND, KAZ, KGZ, PAK, RUS, TJK, UZB\\n")
    False
    """
    lines = [line for line in text.splitlines() if line.strip()]
    return len(lines) >= 3 and sum(bool(_COLUMN_GAP.search(line)) for line in lines) > len(lines) / 2


@lru_cache(maxsize=1)
def _state_names() -> dict[str, str]:
    return dict(load_states()[["iso3", "name_en"]].itertuples(index=False))


def _value_in_words(name: str, value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(_value_in_words(name, v) for v in value) or "none"
    text = str(value)
    if name == "language":
        return _LANGUAGES.get(text, text)
    if _ISO_DAY.fullmatch(text):
        return day_in_words(text)
    if text in _state_names():
        return _state_names()[text]
    return text or "none"


def parameters_in_words(parameters: dict, edition: str = "lecturer", *, teaching: bool = False) -> str:
    """A report's parameters as a reader would say them, with the edition of a seminar.

    Examples
    --------
    >>> parameters_in_words({"reporter": "KAZ", "start_year": 2005})
    'Reporter: Kazakhstan · start year: 2005'
    >>> parameters_in_words({"as_of": "2017-06-09"}, "student", teaching=True)
    'As of 9 June 2017 · student edition, without solutions'
    >>> parameters_in_words({})
    'Default parameters: the latest data'
    """
    parts = []
    for name, value in parameters.items():
        if name == "as_of":
            parts.append(f"as of {_value_in_words(name, value)}")
        elif name == "language":  # the charts' labels; the page's text stays English
            parts.append(f"charts in {_value_in_words(name, value)}")
        else:
            parts.append(f"{name.replace('_', ' ')}: {_value_in_words(name, value)}")
    if not parts:
        parts.append("default parameters: the latest data")
    if teaching or edition != "lecturer":
        parts.append("student edition, without solutions" if edition == "student" else
                     "lecturer edition, with solutions")
    text = " · ".join(parts)
    return text[0].upper() + text[1:]


def export_page(nb, *, info: dict, parameters: str, rendered: str, checked_through: str, package_version: str,
                notebook_file: str | None = None, front_page: str = "../../index.html") -> str:
    """The HTML page of an executed notebook: the site's header, style and navigation, nothing remote.

    Code is shown only in seminar exercises (see :func:`~sco_research.reports.editions.show_exercise_code_only`).

    ``info`` is :func:`notebook_info` of the notebook; ``parameters`` the
    parameters in words; ``rendered`` and ``checked_through`` days; the page
    lives two folders below the front page (``<notebook>/<slug>/``).
    """
    site = {"site_name": SITE_NAME, "front_page": front_page, "page_title": f"{info['title']} — {parameters}",
            "description": info["description"], "group_label": GROUPS[info["group"]], "parameters": parameters,
            "rendered": day_in_words(rendered), "checked_through": day_in_words(checked_through),
            "package_version": package_version, "notebook_file": notebook_file}
    # Code only in seminar exercises (answers and checks): every other code cell is marked to hide its source.
    body, _ = _page_exporter().from_notebook_node(show_exercise_code_only(nb), resources={"site": site})
    return body


@cache
def _page_exporter():
    """One exporter per process: each new one compiles its Jinja templates again (about 0.4 s a page).

    Not for threads: a conversion sets the exporter's filters and metadata for its notebook. Renders run their
    jobs in worker processes, one job at a time each.
    """
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name=TEMPLATE_NAME, extra_template_basedirs=[str(TEMPLATE_DIR)],
                        filters={"looks_tabular": looks_tabular}, exclude_anchor_links=True,
                        exclude_input_prompt=True, exclude_output_prompt=True)


def write_thumbnail(nb, target: Path, width: int = THUMBNAIL_WIDTH) -> tuple[int, int] | None:
    """A small PNG of the notebook's first chart, written byte-reproducibly; its size, or ``None`` if no chart.

    The same chart gives the same bytes: Pillow's Lanczos resize is deterministic, and the file carries no
    text chunk, time or software tag.
    """
    from PIL import Image

    for cell in nb.cells:
        for output in cell.get("outputs", []):
            png = output.get("data", {}).get("image/png")
            if png is None:
                continue
            image = Image.open(io.BytesIO(base64.b64decode(png))).convert("RGB")
            height = max(1, round(image.height * width / image.width))
            image.resize((width, height), Image.Resampling.LANCZOS).save(target, format="PNG", optimize=False)
            return width, height
    return None


def _card(entry: dict) -> dict:
    """What a report's card on the front page shows, from its manifest entry."""
    files = entry.get("files", [])
    name, output = entry["notebook"], entry["output"]
    page = f"{output}/{name}.html" if entry.get("status") != "failed" and f"{name}.html" in files else None
    thumbnail = f"{output}/{THUMBNAIL}" if THUMBNAIL in files else None
    edition = entry.get("edition", "lecturer")
    group = entry.get("group", "other")
    return {"title": entry.get("title") or name, "description": entry.get("description", ""),
            "group": group if group in GROUPS else "other", "page": page, "thumbnail": thumbnail,
            "thumbnail_size": entry.get("thumbnail_size", [THUMBNAIL_WIDTH, 300]),
            "parameters": entry.get("parameters_in_words") or parameters_in_words(entry.get("parameters", {}),
                                                                                  edition),
            "edition": edition, "edition_label": EDITION_LABELS[edition] if group == "teaching" else "",
            "status": entry.get("status"), "rendered": day_in_words(entry["started"]),
            "checked_through": day_in_words(entry["checked_through"]) if entry.get("checked_through") else "",
            "notebook_file": f"{output}/{name}.ipynb" if f"{name}.ipynb" in files else None,
            "slides_file": f"{output}/{name}.slides.html" if f"{name}.slides.html" in files else None}


def front_page_html(manifest: dict, today=None) -> str:
    """The front page of a render folder, from its manifest (see :func:`write_front_page`)."""
    cards = [_card(entry) for entry in manifest["jobs"]]
    groups = [{"key": key, "label": label, "reports": [c for c in cards if c["group"] == key]}
              for key, label in GROUPS.items()]
    return templates().get_template("front.html.j2").render(
        site_name=SITE_NAME, reports=cards, groups=[g for g in groups if g["reports"]],
        stale=stale_warning(today), checked_through=day_in_words(coverage()["checked_through"]),
        rendered=day_in_words(manifest["started"]), commit=manifest.get("git_commit", "unknown"),
        package_version=manifest.get("package_version", ""))
