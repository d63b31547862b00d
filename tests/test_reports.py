"""The project notebooks rendered as reports: one run of several reports, shared by every test in this module.

The run starts from another directory (nothing may depend on the working
directory), with non-default parameters for each notebook, a student edition,
and slides for the seminar only (asked for by its entry, as in reports.yaml).
"""

import base64
import hashlib
import json
import re
import subprocess
import sys

import nbformat
import pytest
from browser import problems

from conftest import PROJECT

# Each job is a kernel: the tour, the claims check and the lecturer editions (the committed notebooks themselves)
# are executed by nbval; here every notebook whose parameters change what it draws, and a student edition.
JOBS = [
    ("01_membership_growth", {"as_of": "2017-06-09"}, "lecturer"),
    ("02_trade", {"reporter": "KAZ", "start_year": 2005}, "lecturer"),
    ("03_chairmanship_history", {"language": "zh", "highlight": "KAZ"}, "lecturer"),
    ("teaching/how_the_sco_grew", {"as_of": "2024-07-04"}, "student"),
]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Render JOBS once, from an unrelated working directory, with the command line."""
    import yaml

    root = tmp_path_factory.mktemp("reports")
    report_set = root / "set.yaml"
    report_set.write_text(yaml.safe_dump({"reports": [
        {"notebook": name, "parameters": params, "edition": edition}
        | ({"formats": ["slides"]} if name.startswith("teaching/") else {}) for name, params, edition in JOBS]}))
    out = root / "out"
    before = _project_state()
    result = subprocess.run([sys.executable, "-m", "sco_research", "render", "--reports-file", str(report_set),
                             "--output-dir", str(out), "--format", "html,ipynb", "--jobs", "2"],
                            capture_output=True, text=True, cwd=root, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    after = _project_state()
    manifest = json.loads((out / "manifest.json").read_text())
    return {"out": out, "stderr": result.stderr, "manifest": manifest, "project_before": before, "project_after": after}


def _project_state() -> tuple[dict, str]:
    """Each tracked file's modification time, and the files git would add (untracked, not ignored)."""
    def git(*args):
        return subprocess.run(["git", *args], cwd=PROJECT, capture_output=True, text=True, check=True).stdout

    tracked = {name: (PROJECT / name).stat().st_mtime_ns for name in git("ls-files", "-z").split("\0")
               if name and (PROJECT / name).exists()}
    return tracked, git("status", "--porcelain", "--untracked-files=all")


def _folder(rendered, name, slug):
    return rendered["out"] / name.split("/")[-1] / slug


def _text(path) -> str:
    """Every printed line and every displayed table's text (a Table's text is its frame's to_string)."""
    nb = nbformat.read(path, 4)
    return "".join(o.get("text", "") + o.get("data", {}).get("text/plain", "") + "\n"
                   for c in nb.cells if c.cell_type == "code" for o in c.outputs)


def _tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def test_every_report_rendered_and_the_log_is_quiet(rendered):
    statuses = [(job["notebook"], job["status"]) for job in rendered["manifest"]["jobs"]]
    assert statuses == [(name.split("/")[-1], "rendered") for name, _, _ in JOBS]
    # an entry's own formats are added to the run's: slides for the seminar only
    slides = {job["notebook"] for job in rendered["manifest"]["jobs"] if f"{job['notebook']}.slides.html" in job["files"]}
    assert slides == {"how_the_sco_grew"}
    for noise in ("without encryption", "ERROR", "KeyboardInterrupt", "Traceback"):
        assert noise not in rendered["stderr"]
        for job in rendered["manifest"]["jobs"]:
            assert noise not in (rendered["out"] / job["output"] / "render.log").read_text()
    # Each log is published beside its report: a lecturer's holds the cells' output, a student edition's none of it
    # (its answers are what the page hides).
    logs = {job["notebook"]: (rendered["out"] / job["output"] / "render.log").read_text() for job in rendered["manifest"]["jobs"]}
    assert "Members on 2017-06-09: CHN, IND" in logs["01_membership_growth"]
    assert "Studying the SCO on" not in logs["how_the_sco_grew"] and "Executing notebook" in logs["how_the_sco_grew"]


def test_rendering_writes_nothing_into_tracked_folders(rendered):
    """No tracked file changed and no new file appeared anywhere in the project (the figures went into each
    report's folder instead)."""
    (tracked_before, new_before), (tracked_after, new_after) = rendered["project_before"], rendered["project_after"]
    assert len(tracked_before) > 100
    assert {name for name in tracked_after if tracked_after[name] != tracked_before.get(name)} == set()
    assert new_after == new_before


def test_growth_report_shows_india_and_pakistan_and_keeps_its_figures(rendered):
    folder = _folder(rendered, "01_membership_growth", "as_of-2017-06-09")
    text = _text(folder / "01_membership_growth.ipynb")
    assert "Members on 2017-06-09: CHN, IND, KAZ, KGZ, PAK, RUS, TJK, UZB" in text
    assert re.search(r"^2017-06-09 +8 +18 +62.6 ", text, re.M)  # the snapshot table row for that day
    figures = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (folder / "figures").iterdir()}
    stems = ("map", "growth", "status_counts")
    assert {f"01_membership_growth__{s}__as_of-2017-06-09.png" for s in stems} <= set(figures)
    assert "01_membership_growth__animation__as_of-2017-06-09.gif" in figures
    # The pictures in the report are the saved PNG files themselves, in the order the notebook draws them.
    shown = [hashlib.sha256(base64.b64decode(o["data"]["image/png"])).hexdigest()
             for cell in nbformat.read(folder / "01_membership_growth.ipynb", 4).cells if cell.cell_type == "code"
             for o in cell.outputs if "image/png" in o.get("data", {})]
    assert shown == [figures[f"01_membership_growth__{s}__as_of-2017-06-09.png"] for s in stems]
    html = (folder / "01_membership_growth.html").read_text()
    assert "GrowthParameters" not in html  # no code in the page
    # The "Year by year" section shows the animation it wrote, embedded (the page is copied without its folder).
    images = [dict(re.findall(r'(src|alt)="([^"]*)"', tag)) for tag in re.findall(r"<img [^>]*>", html)]
    # The small multiples' alt text says what the whole figure shows, not what its first panel does.
    assert re.fullmatch(r"SCO membership maps on \d+ days, 15 June 2001 to 9 June 2017, one map per day with its "
                        r"member count", images[1]["alt"]), images[1]["alt"]
    gif = [(hashlib.sha256(base64.b64decode(image["src"].split(",", 1)[1])).hexdigest(), image.get("alt"))
           for image in images if image["src"].startswith("data:image/gif;base64,")]
    assert gif == [(figures["01_membership_growth__animation__as_of-2017-06-09.gif"],
                    "Animated map: the SCO's statuses year by year, 2001 to 2017-06-09")]


def test_figures_drawn_in_a_kernel_equal_those_drawn_here(rendered, tmp_path):
    """Byte-identical figure files across processes (another hash seed, another font cache): each kind of figure the
    reports save, drawn here as its notebook draws it, equals the PNG and SVG files the report's kernel wrote."""
    from sco_research.analysis.sources import source_notes
    from sco_research.analysis.trade import sco_shares, trade_matrix
    from sco_research.figures import ReportFigures
    from sco_research.plotting import (
        plot_chairmanship_timeline,
        plot_membership_map,
        plot_share_small_multiples,
        plot_summit_map,
        plot_trade_by_partner,
        plot_trade_matrix,
    )
    from sco_research.reports import trade_report
    from sco_research.reports.parameters import ChairParameters, GrowthParameters, TradeParameters

    drawn = []
    growth = GrowthParameters(as_of="2017-06-09")
    figures = ReportFigures("01_membership_growth", growth.given(), directory=tmp_path)
    figures.show(plot_membership_map(growth.day, statuses=growth.chosen_statuses, extent=growth.extent,
                                     projection=growth.map_projection), "map")
    drawn.append(("01_membership_growth", "as_of-2017-06-09", figures))

    trade = TradeParameters(reporter="KAZ", start_year=2005)
    figures = ReportFigures("02_trade", trade.given(), directory=tmp_path)
    figures.show(plot_trade_by_partner(trade_report.partner_series(trade), units=trade.units), "by_partner")
    matrix = trade_matrix(trade.matrix, trade.membership, flow=trade.flow, trade=trade_report.all_trade(trade))
    figures.show(plot_trade_matrix(matrix, sources=source_notes(matrix), units=trade.units), "matrix")
    shares = sco_shares(years=trade.years, membership=trade.membership, flow=trade.flow,
                        trade=trade_report.all_trade(trade))
    figures.show(plot_share_small_multiples(shares, sources=source_notes(shares)), "share_small_multiples")
    drawn.append(("02_trade", "reporter-KAZ_start_year-2005", figures))

    chair = ChairParameters(language="zh", highlight="KAZ")
    figures = ReportFigures("03_chairmanship_history", chair.given(), directory=tmp_path)
    figures.show(plot_chairmanship_timeline(chair.start_year, chair.end_year, highlight=chair.highlighted,
                                            language=chair.language), "timeline")
    figures.show(plot_summit_map(highlight=chair.highlighted, language=chair.language), "summit_map")
    drawn.append(("03_chairmanship_history", "highlight-KAZ_language-zh", figures))

    for name, slug, figures in drawn:
        folder = _folder(rendered, name, slug) / "figures"
        assert {path.suffix for path in figures.saved} == {".png", ".svg"}
        for path in figures.saved:
            written = (folder / path.name).read_bytes()
            assert path.read_bytes() == written, path.name
            # nothing in the file that changes from run to run or from one matplotlib to the next
            if path.suffix == ".svg":
                assert b"<dc:date>" not in written and b"Matplotlib v" not in written, path.name
            else:
                assert b"Software" not in written[:400], path.name


def test_trade_report_for_kazakhstan_from_2005(rendered):
    text = _text(_folder(rendered, "02_trade", "reporter-KAZ_start_year-2005") / "02_trade.ipynb")
    assert "Reporter KAZ · 2005-2024" in text
    assert "\n 2004 " not in text and "\n 2005 " in text  # the share table starts in 2005
    assert "kaz_sco_2023_mti" in text  # Kazakhstan's own official figures are listed
    # the member x member matrix of the default year (the latest in which every member has a record) and the shares
    # of every member, each saved with the report
    assert "2020: 56 of 56 pairs recorded" in text
    folder = _folder(rendered, "02_trade", "reporter-KAZ_start_year-2005") / "figures"
    assert {f"02_trade__{s}__reporter-KAZ_start_year-2005.png" for s in ("matrix", "share_small_multiples")} <= {
        p.name for p in folder.iterdir()}


def test_chairmanship_report_in_chinese_with_kazakhstan_highlighted(rendered):
    text = _text(_folder(rendered, "03_chairmanship_history", "highlight-KAZ_language-zh")
                 / "03_chairmanship_history.ipynb")
    assert "language zh · highlight KAZ" in text
    assert "巴基斯坦 (PAK) chairs the SCO" in text  # the name in states.csv (ISO 3166 zh translation)
    assert "(summit No. 26; inferred from the next summit's host)" in text  # flagged as in the data


def test_the_student_edition_keeps_the_exercises_and_drops_the_solutions(rendered):
    folder = _folder(rendered, "teaching/how_the_sco_grew", "as_of-2024-07-04__student")
    nb = nbformat.read(folder / "how_the_sco_grew.ipynb", 4)
    html = (folder / "how_the_sco_grew.html").read_text()
    source = nbformat.read(PROJECT / "notebooks" / "teaching" / "how_the_sco_grew.ipynb", 4)
    assert sum("exercise" in _tags(c) for c in nb.cells) == sum("exercise" in _tags(c) for c in source.cells) > 0
    assert "BEGIN SOLUTION" not in json.dumps(nb) and "# YOUR CODE HERE" in json.dumps(nb)
    assert "Exercise 1: right." not in html and "summit_covering(&quot;2017-06-09&quot;)" not in html
    assert "Studying the SCO on 2024-07-04" in html  # ...in a page that holds the rest


def test_slides_reference_only_bundled_files(rendered):
    """Every script and stylesheet of the slides is a file shipped next to them."""
    folder = _folder(rendered, "teaching/how_the_sco_grew", "as_of-2024-07-04__student")
    page = (folder / "how_the_sco_grew.slides.html").read_text()
    references = re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"#]+)"', page)
    references += re.findall(r'"(slides-assets/[^"]+)"', page)  # the modules require.js loads
    assert references and all(not r.startswith(("http:", "https:", "//")) for r in references)
    for ref in set(references):
        target = folder / (ref if ref.endswith((".js", ".css", ".mjs")) else ref + ".js")
        assert target.exists(), ref


def test_the_student_slides_hold_the_exercises_without_solutions(rendered):
    """The deck the render wrote (the same export_slides that test_teaching opens in Chromium, every slide
    measured, with its bundled assets loading and no console error)."""
    folder = _folder(rendered, "teaching/how_the_sco_grew", "as_of-2024-07-04__student")
    page = (folder / "how_the_sco_grew.slides.html").read_text()
    assert page.count("<section") > 8 and "Exercise 2" in page
    assert "Exercise 1: right." not in page and "YOUR CODE HERE" in page  # stubs, and no solution or its check


def test_every_committed_notebook_and_every_report_shows_the_coverage_date(rendered):
    """The committed outputs (what nbval keeps, and the wheel ships) and the rendered pages say how far the events
    were checked, in the words of the one function that writes it."""
    from sco_research import coverage_note
    from sco_research.reports.plan import notebook_names

    note = coverage_note()
    assert note.startswith("Events checked through ") and "2026" in note
    missing = [name for name in notebook_names()
               if note not in _text(PROJECT / "notebooks" / f"{name}.ipynb")]
    assert missing == []
    for job in rendered["manifest"]["jobs"]:
        folder = rendered["out"] / job["output"]
        assert note in _text(next(folder.glob("*.ipynb"))), job["notebook"]
        assert note in next(folder.glob("*.html")).read_text(), job["notebook"]


# ---------------------------------------------------------------------------------------------------------------------
# The report site: pages, the front page, thumbnails, and how they look in a browser

SITE_PAGES = [("02_trade", "reporter-KAZ_start_year-2005"), ("03_chairmanship_history", "highlight-KAZ_language-zh")]


def _page(rendered, name, slug) -> str:
    return (_folder(rendered, name, slug) / f"{name.split('/')[-1]}.html").read_text(encoding="utf-8")


def test_a_report_page_is_a_site_page_with_tables_links_and_alt_text(rendered):
    html = _page(rendered, "02_trade", "reporter-KAZ_start_year-2005")
    assert "<title>Trade and the SCO — Reporter: Kazakhstan · start year: 2005</title>" in html
    assert '<a href="../../index.html">SCO research reports</a>' in html
    assert html.count('<table class="data">') >= 3  # SCO share, mirror, official figures
    assert '<td class="num">2005</td>' in html  # the share table starts in 2005
    # the closing list, sorted by id: Kazakhstan's statistics office (the series from 2021), then the IMF (to 2020)
    assert re.search(r'<ol class="citations">\s*<li id="source-bns_kaz_foreign_trade_by_country">', html)
    assert re.search(r'<li id="source-imf_dots_2022">International Monetary Fund, '
                     r'<a href="https://data.imf.org/" rel="noopener">Direction of Trade Statistics', html)
    alts = re.findall(r'<img [^>]*alt="([^"]*)"', html)
    assert len(alts) >= 4 and "Goods trade recorded by Kazakhstan, by partner" in alts
    assert not any(a in ("", "Chart", "No description has been provided for this image") for a in alts)
    # Nothing remote, no script, no code; figure file names only in the links to the charts' full-size files.
    assert "<script" not in html and "cdnjs" not in html and "mathjax" not in html.lower()
    assert not re.findall(r'<(?:link|img|script|iframe)[^>]+(?:src|href)="(?:https?:)?//', html)
    assert "TradeParameters" not in html
    assert html.count("__by_partner") == 1 and '<a href="figures/02_trade__by_partner__' in html


def test_each_chart_links_to_its_full_size_file_in_the_reports_folder(rendered):
    """The SVG where the render wrote one; what a reader opens to read a chart of panels drawn narrow on the page."""
    for name, slug in [("02_trade", "reporter-KAZ_start_year-2005"), ("01_membership_growth", "as_of-2017-06-09"),
                       ("teaching/how_the_sco_grew", "as_of-2024-07-04__student")]:
        folder = _folder(rendered, name, slug)
        html = _page(rendered, name, slug)
        charts = re.findall(r'<figure class="chart[^"]*">\s*(<a href="[^"]*"[^>]*>)?<img [^>]*src="data:image/png', html)
        links = [re.search(r'href="([^"]*)"', a)[1] for a in charts if a]
        saved = sorted(p.relative_to(folder).as_posix() for p in (folder / "figures").glob("*.svg"))
        if name.startswith("teaching/"):  # charts shown with plt.show() are not saved: nothing to link to
            assert charts and links == [] and saved == []
            continue
        assert len(links) == len(charts) >= 2 and len(set(links)) == len(links), (name, charts)
        assert sorted(links) == saved, name


def test_charts_shown_with_plt_show_have_their_title_as_alt_text_too(rendered):
    html = _page(rendered, "teaching/how_the_sco_grew", "as_of-2024-07-04__student")
    alts = re.findall(r'<img [^>]*alt="([^"]*)"', html)
    assert "SCO states by status" in alts and "Chart" not in alts


def test_the_front_page_groups_cards_with_titles_editions_and_thumbnails(rendered):
    out = rendered["out"]
    html = (out / "index.html").read_text(encoding="utf-8")
    groups = re.findall(r'<section class="group" id="([a-z]+)">', html)
    assert groups == ["membership", "trade", "chairmanships", "teaching"]
    assert ">Trade and the SCO</a>" in html and ">Seminar: How the SCO grew</a>" in html
    assert "Reporter: Kazakhstan · start year: 2005" in html and "As of 9 June 2017" in html
    assert '<span class="badge student">Student edition</span>' in html
    assert "Events checked through <strong>4 September 2026</strong>" in html  # data/coverage.csv
    for job in rendered["manifest"]["jobs"]:
        folder = out / job["output"]
        assert "thumbnail.png" in job["files"] and (folder / "thumbnail.png").is_file()
        assert f'src="{job["output"]}/thumbnail.png"' in html
        assert f'href="{job["output"]}/{job["notebook"]}.html"' in html


def test_thumbnails_are_the_first_chart_and_reproducible(rendered, tmp_path):
    """The thumbnail made again here, from the executed notebook, has the very bytes the render wrote."""
    from PIL import Image

    from sco_research.reports.site import THUMBNAIL_WIDTH, write_thumbnail

    folder = _folder(rendered, "01_membership_growth", "as_of-2017-06-09")
    size = write_thumbnail(nbformat.read(folder / "01_membership_growth.ipynb", 4), tmp_path / "again.png")
    assert (tmp_path / "again.png").read_bytes() == (folder / "thumbnail.png").read_bytes()
    first = Image.open(folder / "figures" / "01_membership_growth__map__as_of-2017-06-09.png")
    assert size == (THUMBNAIL_WIDTH, round(first.height * THUMBNAIL_WIDTH / first.width))


def test_the_front_page_warns_when_the_data_may_be_stale(rendered, tmp_path):
    from sco_research.reports.run import write_index

    stale = write_index(tmp_path, rendered["manifest"], today="2028-02-15").read_text(encoding="utf-8")
    assert '<p class="warning" role="alert">The data may be out of date: events were checked through 4 September 2026' in stale
    fresh = write_index(tmp_path, rendered["manifest"], today="2026-11-28").read_text(encoding="utf-8")
    assert 'class="warning"' not in fresh


@pytest.mark.parametrize("width,height", [(390, 844), (1280, 800)])
def test_the_site_in_a_browser_at_phone_and_desktop_width(rendered, open_page, width, height):
    """No overflow, no remote or failed request, no console error (screenshots: tests/browser.py)."""
    pages = [("index", rendered["out"] / "index.html")]
    pages += [(name, _folder(rendered, name, slug) / f"{name}.html") for name, slug in SITE_PAGES]
    found = {}
    for name, path in pages:
        page = open_page(path, width, height)
        found[name] = problems(page)
        if name != "index":  # every chart loaded and is drawn no wider than the page
            assert page.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
            assert page.evaluate(f"[...document.images].every(i => i.getBoundingClientRect().right <= {width})")
    assert found == {name: [] for name, _ in pages}


def test_the_site_prints_on_a4_with_nothing_cut_off_and_every_source_address_written_out(rendered, open_page):
    """Printed (A4 less its margins, 680 CSS px): no box hides content that would scroll on screen, the header is
    ink on paper (browsers drop its dark background), charts, table rows and printed output stay whole (as far as a
    page holds them), and each source's address follows its link, as a printed citation needs."""
    pages = [("index", rendered["out"] / "index.html")]
    pages += [(name, _folder(rendered, name, slug) / f"{name}.html") for name, slug in SITE_PAGES]
    for name, path in pages:
        page = open_page(path, 680, 1000)
        page.emulate_media(media="print")
        assert problems(page) == [], name
        hidden = page.evaluate("""[...document.querySelectorAll('pre, .table-scroll, .jp-RenderedHTML')]
            .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.className)""")
        assert hidden == [], (name, hidden)
        assert page.evaluate("getComputedStyle(document.querySelector('.site-header a')).color") == "rgb(0, 0, 0)"
        if name == "index":
            continue
        assert page.evaluate("""[...document.querySelectorAll('figure.chart, table.data tr, pre')]
            .every(e => getComputedStyle(e).breakInside === 'avoid')""")
        links = page.evaluate("""[...document.querySelectorAll('ol.citations a[href]')]
            .map(a => [a.getAttribute('href'), getComputedStyle(a, '::after').content])""")
        assert links and all(after == f'" <{href}>"' for href, after in links), links[:3]
