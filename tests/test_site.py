"""The report site's building blocks, without a render: tables, citations, words, notebook metadata, front page."""

import re

import nbformat
import pandas as pd
import pytest

from conftest import PROJECT
from sco_research.errors import ParameterError
from sco_research.reports.display import Citations, Records, Table
from sco_research.reports.plan import notebook_names
from sco_research.reports.site import GROUPS, front_page_html, notebook_info, parameters_in_words


def test_a_table_escapes_its_cells_right_aligns_numbers_and_marks_missing_values():
    frame = pd.DataFrame({"name": ["<script>alert(1)</script>", "Kazakhstan"], "share": [2.5, None],
                          "year": pd.array([2001, None], dtype="Int64")})
    html = Table(frame, caption="A & B")._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<caption>A &amp; B</caption>" in html
    assert '<td class="num">2.5</td>' in html and '<td class="num">2001</td>' in html
    assert html.count('<td class="num na">–</td>') == 2
    assert repr(Table(frame)) == frame.to_string(index=False)  # what nbval and text checks compare


def test_a_table_with_its_index_heads_each_row():
    counts = pd.DataFrame({"member": [6, 8]}, index=pd.Index(pd.to_datetime(["2001-06-15", "2017-06-09"]), name="date"))
    html = Table(counts, index=True)._repr_html_()
    assert '<th scope="col">date</th>' in html and '<th scope="row">2017-06-09</th>' in html


def test_a_table_without_rows_says_so_in_its_own_words_on_the_page_and_as_text():
    none = pd.DataFrame({"aggregate_id": [], "official_bn": []})
    table = Table(none, empty="No headline figure for <IRN>.")
    assert table._repr_html_() == '<p class="empty-table">No headline figure for &lt;IRN&gt;.</p>'
    assert repr(table) == "No headline figure for <IRN>."
    assert "<table" in Table(none)._repr_html_()  # without the sentence, the headers as before
    some = Table(pd.DataFrame({"aggregate_id": ["kaz_chn_2022_kaz"]}), empty="No headline figure.")
    assert "No headline figure" not in some._repr_html_() + repr(some)


def test_citations_link_their_titles_and_refuse_unknown_ids():
    html = Citations(["tass_2025_chair", "imf_dots_2022;tass_2025_chair"])._repr_html_()
    assert [m for m in re.findall(r'<li id="source-([a-z0-9_]+)">', html)] == ["tass_2025_chair", "imf_dots_2022"]
    assert re.search(r'<li id="source-tass_2025_chair">TASS, <a href="https://[^"]+" rel="noopener">', html)
    with pytest.raises(ParameterError, match=r"invalid source_ids='no_such_source': expected one of the \d+ ids"):
        Citations(["imf_dots_2022", "no_such_source"])


def test_parameters_in_words_name_states_days_and_languages():
    assert parameters_in_words({"language": "zh", "highlight": "KAZ"}) == "Charts in Chinese · highlight: Kazakhstan"
    assert parameters_in_words({"snapshot_dates": ["2017-06-09", "2024-07-04"]}) == (
        "Snapshot dates: 9 June 2017, 4 July 2024")
    assert parameters_in_words({}, "lecturer", teaching=True) == (
        "Default parameters: the latest data · lecturer edition, with solutions")


@pytest.mark.parametrize("name", notebook_names())
def test_every_notebook_declares_its_group_and_a_one_line_description(name):
    nb = nbformat.read(PROJECT / "notebooks" / f"{name}.ipynb", 4)
    info = notebook_info(nb)
    assert nb.metadata["sco_research"]["group"] in GROUPS and info["group"] != "other"
    assert 40 < len(info["description"]) <= 140 and "\n" not in info["description"]
    assert nb.cells[0].source.startswith(f"# {info['title']}\n")
    assert (info["group"] == "teaching") == name.startswith("teaching/")


def test_the_claims_check_shows_no_internal_file_names():
    nb = nbformat.read(PROJECT / "notebooks" / "04_claims_check.ipynb", 4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    shown = "".join(o.get("text", "") + "".join(o.get("data", {}).values()) for o in outputs
                    if "image/png" not in o.get("data", {}))
    assert "supported" in shown and not re.search(r"\d{3}_[0-9a-f]{16}\.txt", shown)
    assert '<ol class="citations">' in shown  # the claims' sources, linked


def test_the_front_page_of_a_failed_and_an_earlier_report():
    """Entries without the site's fields (a failed job, a report kept from an older run) still get a card."""
    manifest = {"started": "2026-11-27T03:17:00+00:00", "git_commit": "abc", "package_version": "0.2.0", "jobs": [
        {"notebook": "02_trade", "output": "02_trade/reporter-KAZ", "parameters": {"reporter": "KAZ"},
         "edition": "lecturer", "status": "failed", "started": "2026-11-27T03:17:05+00:00"},
        {"notebook": "old", "output": "old/defaults", "parameters": {}, "edition": "lecturer", "status": "kept",
         "started": "2026-10-01T03:17:05+00:00", "files": ["old.html", "report.json"]},
        {"notebook": "who_runs_the_sco", "output": "who_runs_the_sco/defaults", "parameters": {}, "group": "teaching",
         "edition": "lecturer", "status": "rendered", "started": "2026-11-27T03:17:06+00:00",
         "files": ["who_runs_the_sco.html", "who_runs_the_sco.slides.html", "who_runs_the_sco.ipynb"]}]}
    html = front_page_html(manifest, today="2026-08-15")
    assert '<span class="badge failed">failed</span>' in html and 'href="02_trade/reporter-KAZ/' not in html
    assert '<a href="old/defaults/old.html">old</a>' in html and "Rendered 1 October 2026" in html
    assert 'class="warning"' not in html
    assert ('<a href="who_runs_the_sco/defaults/who_runs_the_sco.slides.html">Slides</a> · '
            '<a href="who_runs_the_sco/defaults/who_runs_the_sco.ipynb">Notebook (.ipynb)</a>') in html


def test_records_escape_their_fields_and_link_sources_to_their_citation():
    rows = pd.DataFrame({"claim_id": ["a<b"], "verdict": ["not supported"], "claim": ["x & y"], "reading": [None],
                         "source": ["imf_dots_2022"]})
    records = Records(rows, heading="claim_id", badge="verdict", source="source")
    html = records._repr_html_()
    assert "<h3>a&lt;b <span class=\"badge verdict v-not-supported\">not supported</span></h3>" in html
    assert "<dd>x &amp; y</dd>" in html and "reading" not in html  # an empty field is left out
    assert '<dd><a href="#source-imf_dots_2022">imf_dots_2022</a></dd>' in html
    assert repr(records) == "a<b: NOT SUPPORTED\n  claim: x & y\n  source: [imf_dots_2022]"
    with pytest.raises(ParameterError, match="invalid column='verdicts': expected one of claim_id, verdict"):
        Records(rows, heading="claim_id", badge="verdicts")
