"""Chart labels in the SCO's working languages (Russian, Chinese) and English, and the font that renders them.

State and city names come from ``states.csv`` and ``cities.csv``; the few
interface words (titles, axis labels, lane names, and the name of the
Shanghai Five, the SCO's precursor, whose English form is its status label)
are in :data:`UI`. Charts in
Russian or Chinese use the bundled subset of Noto Sans CJK SC
(``sco_research/fonts/``, SIL Open Font License), which covers Latin,
Cyrillic and every CJK character the data and :data:`UI` use; a test checks
that coverage. English charts keep matplotlib's default font.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..data import load_cities, load_states
from ..params import require_choice

LANGUAGES = ("en", "ru", "zh")
FONT_FILE = Path(__file__).resolve().parents[1] / "fonts" / "NotoSansCJKsc-Regular-subset.otf"

UI: dict[str, dict[str, str]] = {
    "en": {
        "timeline_title": "SCO chairmanships and summits",
        "chair_lane": "Chairmanship",
        "secretary_lane": "Secretary-General",
        "summit_map_title": "Host cities of SCO summits",
        "summits_hosted": "number of summits in brackets",
        "inferred": "hatched: inferred from the next summit's host",
        "year": "Year",
        "shanghai_five": "Shanghai Five (precursor)",
        "host_state": "Host state",
        "summits_count": "Summits hosted",
    },
    "ru": {
        "timeline_title": "Председательство в ШОС и саммиты",
        "chair_lane": "Председательство",
        "secretary_lane": "Генеральный секретарь",
        "summit_map_title": "Города — хозяева саммитов ШОС",
        "summits_hosted": "в скобках — число саммитов",
        "inferred": "штриховка: выведено по хозяину следующего саммита",
        "year": "Год",
        "shanghai_five": "Шанхайская пятёрка (предшественница ШОС)",
        "host_state": "Страна-хозяйка",
        "summits_count": "Число саммитов",
    },
    "zh": {
        "timeline_title": "上海合作组织轮值主席国与峰会",
        "chair_lane": "轮值主席国",
        "secretary_lane": "秘书长",
        "summit_map_title": "上海合作组织峰会举办城市",
        "summits_hosted": "括号内为举办次数",
        "inferred": "斜线：根据下届峰会东道国推定",
        "year": "年份",
        "shanghai_five": "上海五国（上合组织前身）",
        "host_state": "东道国",
        "summits_count": "举办峰会次数",
    },
}


def check_language(language: str) -> str:
    """Validate ``language``.

    Examples
    --------
    >>> check_language("zh")
    'zh'
    """
    return require_choice("language", language, LANGUAGES)


def ui(language: str, key: str) -> str:
    """One interface string in a language."""
    return UI[check_language(language)][key]


def state_names(language: str) -> dict[str, str]:
    """ISO3 -> state name in a language, from ``states.csv``.

    Examples
    --------
    >>> state_names("ru")["KGZ"]
    'Киргизия'
    """

    column = f"name_{check_language(language)}"
    states = load_states()
    return dict(zip(states["iso3"], states[column]))


def city_names(language: str) -> dict[str, str]:
    """English city name (as in ``summits.csv``) -> name in a language, from ``cities.csv``.

    Examples
    --------
    >>> city_names("zh")["Astana"]
    '阿斯塔纳'
    """

    cities = load_cities()
    return dict(zip(cities["name_en"], cities[f"name_{check_language(language)}"]))


@lru_cache(maxsize=1)
def _font_properties():
    from matplotlib import font_manager

    if not FONT_FILE.exists():
        raise FileNotFoundError(
            f"the font for Russian and Chinese labels is missing: {FONT_FILE}. Rebuild it with "
            "`python scripts/build_font.py`, or draw with language='en'.")
    font_manager.fontManager.addfont(str(FONT_FILE))
    return font_manager.FontProperties(fname=str(FONT_FILE))


def font_for(language: str):
    """``FontProperties`` for a language's labels (None for English: matplotlib's default)."""
    check_language(language)
    return None if language == "en" else _font_properties()


def missing_glyphs(texts, language: str) -> set[str]:
    """Characters of ``texts`` that the language's font cannot draw.

    Examples
    --------
    >>> missing_glyphs(["上海合作组织"], "zh")
    set()
    """
    from fontTools.ttLib import TTFont

    if check_language(language) == "en":
        from matplotlib import font_manager

        path = font_manager.findfont(font_manager.FontProperties())
    else:
        _font_properties()
        path = str(FONT_FILE)
    cmap = TTFont(path, lazy=True).getBestCmap()
    return {ch for text in texts for ch in str(text) if not ch.isspace() and ord(ch) not in cmap}


def require_glyphs(texts, language: str) -> None:
    """Raise a clear error when the font lacks a character of ``texts`` (no missing-glyph boxes)."""
    missing = missing_glyphs(texts, language)
    if missing:
        raise ValueError(f"the {language!r} font ({FONT_FILE.name if language != 'en' else 'default'}) cannot "
                         f"draw {''.join(sorted(missing))!r}; rebuild it with `python scripts/build_font.py`")
