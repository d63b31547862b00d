"""The browser check itself: it must see overflow, clipped list numbers, remote requests and console errors, and pass
a clean page."""

from browser import SCREENSHOTS_ENV, close_pages, problems, screenshot


def test_a_clean_page_has_no_problems_and_a_bad_one_has_each(open_page, tmp_path, monkeypatch):
    clean = tmp_path / "clean.html"
    clean.write_text("<!doctype html><meta name=viewport content='width=device-width'><title>t</title><p>Fine.</p>")
    bad = tmp_path / "bad.html"
    bad.write_text("<!doctype html><meta name=viewport content='width=device-width'><title>t</title>"
                   "<div style='width:700px;margin:0'>wide</div><img src='https://example.org/x.png' alt=''>"
                   "<img src='missing.png' alt=''><script>console.error('boom')</script>"
                   "<div style='overflow-x:auto'><ol class=cut style='padding-left:.5rem'>"
                   + "<li>source</li>" * 12 + "</ol></div>")
    page = open_page(clean, 390, 844)
    assert problems(page) == []
    # Screenshots are taken when asked for (a full page costs more than loading it), and of a failing test's pages.
    monkeypatch.delenv(SCREENSHOTS_ENV, raising=False)
    assert screenshot(page, "selftest-not-asked") is None
    assert screenshot(page, "selftest-clean", always=True).stat().st_size > 0
    (kept,) = close_pages([page.context], "test_that_failed", keep=True)
    assert kept.name == "test_that_failed-1-clean-390.png" and kept.stat().st_size > 0
    assert not (kept.parent / "selftest-not-asked.png").exists()
    found = problems(open_page(bad, 390, 844))
    assert any(p.startswith("console error: boom") for p in found), found
    assert any("remote request (blocked): https://example.org/x.png" in p for p in found), found
    assert any(p.startswith("failed request: file:") and "missing.png" in p for p in found), found
    assert any(p.startswith("horizontal overflow") and "<div> ends at 708px" in p for p in found), found
    assert any(p.startswith("list numbers cut off: <ol.cut> of 12: the numbers need") for p in found), found
