"""The browser check itself: it must see overflow, remote requests and console errors, and pass a clean page."""

from browser import problems, screenshot


def test_a_clean_page_has_no_problems_and_a_bad_one_has_each(open_page, tmp_path):
    clean = tmp_path / "clean.html"
    clean.write_text("<!doctype html><meta name=viewport content='width=device-width'><title>t</title><p>Fine.</p>")
    bad = tmp_path / "bad.html"
    bad.write_text("<!doctype html><meta name=viewport content='width=device-width'><title>t</title>"
                   "<div style='width:700px;margin:0'>wide</div><img src='https://example.org/x.png' alt=''>"
                   "<img src='missing.png' alt=''><script>console.error('boom')</script>")
    page = open_page(clean, 390, 844)
    assert problems(page) == []
    assert screenshot(page, "selftest-clean").stat().st_size > 0
    found = problems(open_page(bad, 390, 844))
    assert any(p.startswith("console error: boom") for p in found), found
    assert any("remote request (blocked): https://example.org/x.png" in p for p in found), found
    assert any(p.startswith("failed request: file:") and "missing.png" in p for p in found), found
    assert any(p.startswith("horizontal overflow") and "<div> ends at 708px" in p for p in found), found
