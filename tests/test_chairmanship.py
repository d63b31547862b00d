"""Chairmanship history: analysis on real data, the timeline and map artists, labels in three languages, the notebook."""


import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

import sco_research as sco  # noqa: E402
from sco_research.analysis.summits import chairmanship_summary, chairmanships_in, summit_documents, summits_in  # noqa: E402
from sco_research.plotting import plot_chairmanship_timeline, plot_summit_map  # noqa: E402
from sco_research.plotting.labels import LANGUAGES, UI, city_names, missing_glyphs, state_names  # noqa: E402


@pytest.fixture(scope="module")
def whole_history():
    """The timeline of every chairmanship and summit (the slowest to draw: read, not changed, by the tests)."""
    return plot_chairmanship_timeline()


def _gids(ax, prefix):
    artists = list(ax.patches) + list(ax.lines) + list(ax.collections)
    return sorted(a.get_gid() for a in artists if (a.get_gid() or "").startswith(prefix))


@pytest.mark.parametrize("start, end", [(None, None), (2017, 2025), (2004, 2004)])
def test_timeline_has_one_bar_per_chairmanship_and_one_marker_per_summit(whole_history, start, end):
    ax = whole_history if (start, end) == (None, None) else plot_chairmanship_timeline(start, end)
    spells, summits = chairmanships_in(start, end), summits_in(start, end)
    assert len(_gids(ax, "chair:")) == len(spells)
    assert _gids(ax, "summit:") == sorted(f"summit:{n}" for n in summits["number"])


def test_whole_history_covers_every_row_of_the_tables(whole_history):
    ax = whole_history
    assert len(_gids(ax, "chair:")) == len(sco.load_chairmanships())
    assert len(_gids(ax, "summit:")) == len(sco.load_summits()) == 26
    assert len(_gids(ax, "secretary:")) == len(sco.load_secretaries_general())
    inferred = [p for p in ax.patches if (p.get_gid() or "").startswith("chair:") and p.get_hatch()]
    assert len(inferred) == int(sco.load_chairmanships()["is_inferred"].sum())


def test_highlight_fades_the_other_chairs():
    ax = plot_chairmanship_timeline(2017, 2025, highlight="KAZ")
    spells = chairmanships_in(2017, 2025)
    bars = {p.get_gid(): p for p in ax.patches if (p.get_gid() or "").startswith("chair:")}
    for i, chair in enumerate(spells["chair_iso3"]):
        assert (bars[f"chair:{i}"].get_alpha() == 1.0) == (chair == "KAZ")


@pytest.mark.parametrize("language", LANGUAGES)
def test_font_covers_every_label(language):
    texts = list(state_names(language).values()) + list(city_names(language).values()) + list(UI[language].values())
    secretaries = sco.load_secretaries_general()
    texts += list(secretaries["name"]) + ([] if language == "en" else list(secretaries[f"name_{language}"]))
    assert missing_glyphs(texts, language) == set()


def _source_count(ax) -> int:
    """How many sources the chart's source line counts (the first four named, then "and N other sources")."""
    (line,) = [" ".join(t.get_text().split()) for t in ax.texts if t.get_gid() == "sources"]
    return 4 + int(re.search(r"and (\d+) other sources", line)[1])


@pytest.mark.parametrize("language", ["ru", "zh"])
def test_secretaries_general_are_named_in_the_charts_language_and_those_names_cited(whole_history, language):
    """As a cited source writes the name (name_ru, name_zh); in English where no source was verified."""
    secretaries = sco.load_secretaries_general()
    ax = plot_chairmanship_timeline(language=language)
    drawn = {t.get_gid().removesuffix(":beside"): " ".join(t.get_text().split()) for t in ax.texts
             if (t.get_gid() or "").startswith("secretary_label:")}
    local = secretaries[f"name_{language}"].fillna("")
    assert drawn == {f"secretary_label:{i}": name or english for i, (name, english)
                     in enumerate(zip(local, secretaries["name"]))}
    if language == "zh":
        assert drawn["secretary_label:2"] == "Muratbek Imanaliyev"  # no verified Chinese form: left in English
    cited = {*sco.load_chairmanships()["source_id"], *sco.load_summits()["source_id"], *secretaries["source_id"]}
    names = {i for i in secretaries[f"name_{language}_source_id"].fillna("") if i}
    assert len(names) >= 7 and _source_count(ax) - _source_count(whole_history) == len(names - cited)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_chairmanship_bar_of_the_whole_history_is_named_in_the_charts_language(language):
    """Russia's five one-year bars included: "Российская Федерация" fits only turned, on two lines."""
    ax = plot_chairmanship_timeline(language=language)
    bars = [p for p in ax.patches if re.fullmatch(r"chair:\d+", p.get_gid() or "")]
    named = [" ".join(t.get_text().split()) if language != "zh" else t.get_text().replace("\n", "") for t in ax.texts
             if (t.get_gid() or "").startswith("chair_label:")]
    chairs = sco.load_chairmanships().sort_values("start_date")["chair_iso3"]
    assert len(bars) == len(chairs) == 26
    assert named == [state_names(language)[code] for code in chairs]
    plt.close(ax.figure)


def test_on_a_narrow_chart_the_open_ended_last_bars_are_named_beside_them():
    """Too narrow for any name inside, the last bar of each lane is named just right of the axes, once."""
    fig, ax = plt.subplots(figsize=(4, 2.5))
    plot_chairmanship_timeline(ax=ax)
    fig.canvas.draw()
    beside = {t.get_gid(): t for t in ax.texts if (t.get_gid() or "").endswith(":beside")}
    chairs, secretaries = sco.load_chairmanships(), sco.load_secretaries_general()
    last_chair = chairs.sort_values("start_date")["chair_iso3"].iloc[-1]
    assert {gid: t.get_text().strip() for gid, t in beside.items()} == {
        f"chair_label:{len(chairs) - 1}:beside": state_names("en")[last_chair],
        f"secretary_label:{len(secretaries) - 1}:beside": secretaries["name"].iloc[-1]}
    renderer = fig.canvas.get_renderer()
    assert all(t.get_window_extent(renderer).x0 >= ax.bbox.x1 - 1 for t in beside.values())
    plt.close(fig)


def test_chinese_timeline_uses_chinese_names_and_the_bundled_font():
    ax = plot_chairmanship_timeline(2024, 2025, language="zh")
    assert ax.get_title() == "上海合作组织轮值主席国与峰会"
    assert ax.title.get_fontproperties().get_file().endswith("NotoSansCJKsc-Regular-subset.otf")
    texts = [t.get_text() for t in ax.texts]
    assert "阿斯塔纳 2024" in texts and "天津 2025" in texts
    assert "哈萨克斯坦" in [t.get_text() for t in ax.get_legend().get_texts()]  # names, never ISO3 codes


def test_summit_map_sizes_cities_by_summits_hosted():
    ax = plot_summit_map(language="ru")
    dots = {c.get_gid(): c for c in ax.collections if (c.get_gid() or "").startswith("city:")}
    summits = sco.load_summits()
    assert sorted(dots) == sorted(f"city:{c}" for c in summits["city"].unique())
    counts = summits["city"].value_counts()
    assert dots["city:Astana"].get_sizes()[0] == 60 * counts["Astana"] == 240
    assert {gid: float(dot.get_sizes()[0]) for gid, dot in dots.items()} == \
        {f"city:{city}": 60.0 * n for city, n in counts.items()}  # every city, not only the largest
    assert counts.min() == 1  # so the smallest dots are checked too
    assert "Астана (4)" in [t.get_text() for t in ax.texts]


@pytest.mark.parametrize("kwargs, message", [
    ({"highlight": "MNG"}, r"invalid highlight='MNG': expected '' or the ISO3 code of a member state: BLR, CHN"),
    ({"language": "fr"}, r"invalid language='fr': expected one of 'en', 'ru', 'zh'"),
    ({"start": 1996}, r"invalid start=1996: expected a year from 2001 to 2026"),
    ({"start": 2020, "end": 2010}, r"invalid end=2010"),
])
def test_bad_arguments_fail_before_drawing(kwargs, message):
    before = plt.get_fignums()
    with pytest.raises(sco.ParameterError, match=message):
        plot_chairmanship_timeline(**kwargs)
    assert plt.get_fignums() == before


def test_summary_on_real_data():
    summary = chairmanship_summary().set_index("iso3")
    assert summary.loc["RUS", "times_chaired"] == 5 and summary.loc["RUS", "first_chair_year"] == 2001
    assert summary.loc["IND", "times_chaired"] == 1 and summary.loc["IND", "summits_hosted"] == 1
    assert summary.loc["IND", "years_member_before_first_chair"] == 5.3  # member 2017-06-09, chair from 2022-09-16
    assert summary.loc[["IRN", "BLR"], "times_chaired"].tolist() == [0, 0]
    assert summary.loc["PAK", "times_chaired"] == 1  # from the Bishkek summit of 2026 (inferred)
    assert int(summary["summits_hosted"].sum()) == len(sco.load_summits())
    assert int(summary["times_chaired"].sum()) == len(sco.load_chairmanships())


def test_summit_documents_keep_their_citation():
    docs = summit_documents()
    astana = docs[docs["number"] == 24]
    assert "Astana Declaration" in astana["document"].tolist()
    assert set(astana["source_id"]) == {"kremlin_2024_astana"}
    assert set(docs["source_id"]) <= set(sco.load_sources()["source_id"])


def test_a_missing_font_fails_with_a_clear_message(monkeypatch, tmp_path):
    from sco_research.plotting import labels

    monkeypatch.setattr(labels, "FONT_FILE", tmp_path / "missing.otf")
    labels._font_properties.cache_clear()
    try:
        with pytest.raises(FileNotFoundError, match=r"the font for Russian and Chinese labels is missing: .*missing\.otf\. "
                                                    r"Rebuild it with `python scripts/build_font\.py`"):
            plot_chairmanship_timeline(language="ru")
        assert plot_chairmanship_timeline(2024, 2025, language="en").get_title() == "SCO chairmanships and summits"
    finally:
        monkeypatch.undo()
        labels._font_properties.cache_clear()


def test_the_chair_report_says_when_the_current_chairmanship_is_inferred(data_copy):
    from conftest import edit_csv
    from sco_research.reports.chair_report import current_and_next_lines

    (line, _) = current_and_next_lines()
    assert "Pakistan (PAK) chairs the SCO, since 2026-09-01 (summit No. 26; inferred from the next summit's host)" in line
    assert "[telegraphindia_2025_pak_2027] The Telegraph India (PTI)" in line
    edit_csv(data_copy / "chairmanships.csv", "PAK,2026-09-01,,26,true,", "PAK,2026-09-01,,26,false,")
    (line, _) = current_and_next_lines()
    assert "(summit No. 26). [telegraphindia_2025_pak_2027]" in line  # a chairmanship a source states: no flag
