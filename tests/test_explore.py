"""Interactive exploration: the widget explorer, the folium map, and their static fallbacks."""

import re

import pytest

import sco_research as sco
from sco_research.plotting import explore as maps
from sco_research.plotting.explore import explorer_dates, membership_explorer, membership_web_map, status_frame


def test_explorer_slider_stops_at_every_change_and_redraws(monkeypatch):

    drawn = []
    real = maps.plot_membership_map

    def spy(on, **kwargs):
        drawn.append((on, tuple(kwargs["statuses"])))
        return real(on, **kwargs)

    monkeypatch.setattr(maps, "plot_membership_map", spy)
    explorer = membership_explorer(static=False)
    slider, selector, _ = explorer.widget.children
    assert [value for _, value in slider.options] == explorer_dates()
    assert drawn[-1][0] == sco.latest_date()
    slider.value = next(value for label, value in slider.options if label == "2017-06-09")
    assert str(drawn[-1][0].date()) == "2017-06-09"
    selector.value = ("member",)
    assert drawn[-1] == (slider.value, ("member",))
    count = len(drawn)
    selector.value = ()
    assert len(drawn) == count  # nothing to draw without a status


def test_static_fallback_outside_a_kernel(monkeypatch):
    monkeypatch.setenv("SCO_RESEARCH_STATIC_WIDGETS", "1")
    explorer = membership_explorer()
    assert explorer.widget is None
    assert explorer.ax.get_title() == f"SCO statuses on {sco.latest_date().day} {sco.latest_date():%B %Y}"
    assert membership_web_map().get_title().startswith("SCO statuses on")


def test_web_map_has_one_feature_per_state_with_tooltips():
    fmap = membership_web_map("2017-06-09", static=False)
    html = fmap.get_root().render()
    states = status_frame("2017-06-09")
    assert len(states) == 18
    (layer,) = [child for child in fmap._children.values() if type(child).__name__ == "GeoJson"]
    features = layer.data["features"]
    assert sorted(f["properties"]["iso3"] for f in features) == sorted(states["iso3"])  # one feature per state
    for name in ("India", "Mongolia", "Sri Lanka"):
        assert name in html
    assert "indianexpress_2017_members" in html  # the source of India's new status is in the tooltip data
    assert "openstreetmap" not in html.lower()  # no tile server by default: works without the network
    # The legend names the statuses as the other maps do, not by their keys in the data.
    assert re.findall(r"<div class='legend-title'>([^<]*)</div>", html) == ["SCO status on 9 June 2017"]
    assert re.findall(r"<li><span style='background:#[0-9a-f]{6}'></span>([^<]*)</li>", html) == [
        "Member state", "Observer state", "Dialogue partner", "SCO partner"]


def test_bad_statuses_are_refused():
    with pytest.raises(sco.ParameterError, match=r"invalid statuses='guest'"):
        membership_explorer(statuses=["guest"], static=False)


def _widgets_available_in_a_kernel(*allow_stdin: bool) -> list[str]:
    """What widgets_available() says in one real kernel, for an execute request with each allow_stdin in turn."""
    import os

    from jupyter_client.manager import start_new_kernel

    env = {k: v for k, v in os.environ.items() if k != "SCO_RESEARCH_STATIC_WIDGETS"}
    km, kc = start_new_kernel(kernel_name="python3", env=env)
    try:
        answers = []
        for allow in allow_stdin:
            code = "from sco_research.plotting.explore import widgets_available; print(widgets_available())"
            msg_id = kc.execute(code, allow_stdin=allow)
            text = ""
            while True:
                msg = kc.get_iopub_msg(timeout=60)
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                if msg["msg_type"] == "stream":
                    text += msg["content"]["text"]
                if msg["msg_type"] == "error":
                    raise AssertionError(msg["content"]["evalue"])
                if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                    answers.append(text.strip())
                    break
        return answers
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_widgets_only_for_a_front_end_not_for_headless_executors():
    # JupyterLab sends allow_stdin=True; papermill, nbclient and nbval send False (and can hang on widgets).
    # One kernel answers both: the answer follows each request, whatever came before it (headless first, as
    # papermill asks).
    assert _widgets_available_in_a_kernel(False, True, False) == ["False", "True", "False"]
