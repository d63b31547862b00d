"""Layer 1: the data files, read, checked and typed, and the online trade sources.

Every loader returns a fresh copy from the one store (:mod:`.store`), which
checks every file against its declaration (:mod:`.schema`) and the rules
across files (:mod:`.checks`), and caches the result by content.

Examples
--------
>>> from sco_research.data import load_table, validate
>>> validate()
[]
>>> load_table("summits").set_index("number").loc[24, "city"]
'Astana'
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import TYPE_CHECKING

import pandas as pd

from .. import paths
from ..errors import DataValidationError, ParameterError
from ..params import day_in_words, parse_date, require_choice
from . import vocab
from .remote import load_remote
from .schema import TABLES
from .store import data_files, load_table, snapshot, validate
from .vocab import FLOWS, WORLD

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

__all__ = [
    "TABLES", "vocab", "data_files", "load_table", "snapshot", "validate",
    "load_sources", "load_states", "load_memberships", "load_cities", "load_summits", "load_chairmanships",
    "load_secretaries_general", "load_claims", "load_population", "load_trade", "load_official_aggregates",
    "load_geometries", "trade_year_range", "cite", "coverage", "coverage_note", "stale_warning",
    "data_version",
]

#: A version heading of data/CHANGELOG.md: ``## YYYY.MM.DD``.
_VERSION_HEADING = re.compile(r"^## (\d{4})\.(\d{2})\.(\d{2})\s*$")


def _is_day(year: str, month: str, day: str) -> bool:
    try:
        _dt.date(int(year), int(month), int(day))
    except ValueError:
        return False
    return True


def data_version() -> str:
    """The version of the data: the newest ``## YYYY.MM.DD`` heading of ``data/CHANGELOG.md``.

    The version is the day of the last change to the data files, declared once, on top of the changelog that
    says what changed; ``CITATION.cff`` and ``sco-research export`` carry it.

    Raises
    ------
    DataValidationError
        When the changelog is missing, or its first ``## `` heading is not a real day written ``YYYY.MM.DD``.

    Examples
    --------
    >>> data_version()
    '2026.11.28'
    """
    path = paths.data_dir() / "CHANGELOG.md"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataValidationError("CHANGELOG.md", None, None, f"file not found at {path}") from None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("## "):
            continue
        match = _VERSION_HEADING.match(line)
        if match is None or not _is_day(*match.groups()):
            raise DataValidationError("CHANGELOG.md", number, None,
                                      f"the newest version heading {line!r} is not '## YYYY.MM.DD' with a real day")
        return ".".join(match.groups())
    raise DataValidationError("CHANGELOG.md", None, None, "no version heading ('## YYYY.MM.DD') found")


def load_sources() -> pd.DataFrame:
    """Citations: one row per ``source_id`` (publisher, title, url, published, accessed, note).

    Examples
    --------
    >>> load_sources()["source_id"].is_unique
    True
    """
    return load_table("sources")


def load_states() -> pd.DataFrame:
    """Every state that ever held an SCO status, with ISO codes and EN/RU/ZH names.

    Examples
    --------
    >>> load_states().set_index("iso3").loc["KAZ", "name_ru"]
    'Казахстан'
    """
    return load_table("states")


def load_memberships() -> pd.DataFrame:
    """One row per status spell ``[start_date, end_date)``; empty end means ongoing.

    Examples
    --------
    >>> str(load_memberships()["start_date"].dtype)
    'datetime64[s]'
    """
    return load_table("memberships")


def load_cities() -> pd.DataFrame:
    """Summit host cities by GeoNames id, with their names in English, Russian and Chinese.

    Examples
    --------
    >>> load_cities().set_index("name_en").loc["Tianjin", "name_zh"]
    '天津'
    """
    return load_table("cities")


def load_summits() -> pd.DataFrame:
    """Meetings of the Council of Heads of State, numbered from Shanghai 2001 (No. 1).

    Examples
    --------
    >>> load_summits().set_index("number").loc[24, "city"]
    'Astana'
    """
    return load_table("summits")


def load_chairmanships() -> pd.DataFrame:
    """The rotating chairmanship, summit to summit; ``is_inferred`` marks spells no source states directly.

    Examples
    --------
    >>> load_chairmanships().iloc[0]["chair_iso3"]
    'RUS'
    """
    return load_table("chairmanships")


def load_secretaries_general() -> pd.DataFrame:
    """Heads of the SCO Secretariat; ``*_precision`` says whether a date is known to the day or the year.

    Examples
    --------
    >>> load_secretaries_general().iloc[0]["name"]
    'Zhang Deguang'
    """
    return load_table("secretaries_general")


def load_claims() -> pd.DataFrame:
    """Quantitative claims about the SCO to check against the data (``claims.csv``).

    Examples
    --------
    >>> "ten_members_2025" in set(load_claims()["claim_id"])
    True
    """
    return load_table("claims")


def load_population() -> pd.DataFrame:
    """Total population by economy and year (World Bank WDI, SP.POP.TOTL).

    Examples
    --------
    >>> pop = load_population()
    >>> int(pop.query("iso3 == 'KAZ' and year == 2024")["population"].iloc[0]) > 20_000_000
    True
    """
    return load_table("population")


def load_official_aggregates() -> pd.DataFrame:
    """Headline trade figures published by governments, with their membership basis and citation.

    ``membership_basis``: ``historical`` (members of each year), ``as_of:DATE``
    (the members on that date, applied to every year, as Chinese releases do),
    ``bilateral`` (one partner, ``counterpart``) or ``unstated``.
    ``reconcile_tolerance_pct`` is set where the bundled table reproduces the
    figure (a test checks it) and empty where it cannot (``note`` says why).

    Examples
    --------
    >>> agg = load_official_aggregates().set_index("aggregate_id")
    >>> int(agg.loc["chn_sco_2017_mofcom", "value_usd"])
    217600000000
    """
    return load_table("official_aggregates")


def load_geometries() -> gpd.GeoDataFrame:
    """Every country feature of the bundled boundaries, in EPSG:4326.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``iso3`` (NA for the five features without an ISO code:
        Kosovo, N. Cyprus, Somaliland, Siachen Glacier, Indian Ocean Ter.),
        ``iso_numeric``, ``name`` (Natural Earth's English name), ``un_region``,
        ``un_subregion``, ``has_iso_code``, ``note``, ``source_id``,
        ``region_source_id`` and ``geometry``.

    Examples
    --------
    >>> world = load_geometries()
    >>> world.set_index("iso3").loc["KAZ", "un_subregion"]
    'Central Asia'
    """
    import geopandas as gpd

    frame = load_table("geometries")
    geometry = gpd.GeoSeries.from_wkb(frame["geometry"].to_numpy(), crs="EPSG:4326")
    return gpd.GeoDataFrame(frame.drop(columns="geometry"), geometry=geometry.values, crs="EPSG:4326")


def trade_year_range(table: str = "trade") -> tuple[int, int]:
    """First and last year of a trade table (``"trade"``, the bundled one, or ``"national_trade"``).

    Examples
    --------
    >>> trade_year_range(), trade_year_range("national_trade")
    ((2001, 2024), (2021, 2023))
    """
    years = load_table(require_choice("table", table, ("trade", "national_trade")))["year"]
    return int(years.min()), int(years.max())


def _codes(value, name: str, allowed: set[str]) -> list[str] | None:
    if value is None:
        return None
    values = [value] if isinstance(value, str) else list(value)
    for code in values:
        if code not in allowed:
            raise ParameterError(name, code, "ISO3 codes from states.csv"
                                 + (" or 'WLD'" if WORLD in allowed else "") + ": " + ", ".join(sorted(allowed)))
    return values


def parse_trade_years(years, name: str = "years", *, table: str = "trade") -> list[int] | None:
    """Validate a year selection against the range of a trade table (the bundled one by default)."""
    if years is None:
        return None
    first, last = trade_year_range(table)
    values = [years] if isinstance(years, int) else list(years)
    for year in values:
        if not isinstance(year, int) or isinstance(year, bool) or not first <= year <= last:
            raise ParameterError(name, year, f"integer years from {first} to {last}")
    return values


def parse_flows(flows) -> list[str] | None:
    """Validate a selection of flows (``export``, ``import``)."""
    if flows is None:
        return None
    values = [flows] if isinstance(flows, str) else list(flows)
    for flow in values:
        require_choice("flows", flow, FLOWS)
    return values


def load_trade(source: str = "bundled", *, reporters=None, partners=None, years=None, flows=None, **remote):
    """Bilateral goods trade, one row per reporter, partner, flow and year.

    Parameters
    ----------
    source : {"bundled", "national", "combined", "imf", "comtrade"}
        ``"bundled"`` (default, offline) reads ``data/trade/bilateral_goods_trade.csv``
        (IMF DOTS to 2020, customs releases after); ``"national"`` (offline) reads the
        Kazakh and Kyrgyz national statistics for 2021-2023
        (``data/trade/national_goods_trade.csv``; a different series, see the trade README);
        ``"combined"`` (offline) is the bundled rows plus each national row whose reporter,
        partner, flow and year has no bundled row (a series that changes source after 2020:
        charts mark the break);
        ``"imf"`` (IMF IMTS) and ``"comtrade"`` (UN Comtrade preview API) fetch
        online through a cache (see :mod:`sco_research.data.remote`).
    reporters, partners : str or list of str, optional
        ISO3 codes (partners may include ``"WLD"``, the world); all when omitted.
    years : int or list of int, optional
    flows : {"export", "import"} or list, optional
    **remote
        ``cache_dir``, ``timeout``, ``retries``, ``session`` for the online sources.

    Returns
    -------
    pandas.DataFrame
        Columns ``reporter_iso3, partner_iso3, flow, year, value_usd`` (whole
        US$), ``valuation`` (FOB/CIF), ``is_estimate``, ``source_id``, ``note``.
        Values are as reported by ``reporter_iso3``: reporter- and
        partner-side figures are never mixed.

    Raises
    ------
    ParameterError
        For an unknown source, code, flow or a year outside the table.

    Examples
    --------
    >>> kaz = load_trade(reporters="KAZ", partners="WLD", years=2020)
    >>> sorted(kaz["flow"])
    ['export', 'import']
    >>> int(load_trade("combined", reporters="KAZ", partners="WLD", flows="export")["year"].max())
    2023
    """
    require_choice("source", source, ("bundled", "national", "combined", "imf", "comtrade"))
    codes = set(load_table("states")["iso3"])
    reporters = _codes(reporters, "reporters", codes)
    partners = _codes(partners, "partners", codes | {WORLD})
    flows = parse_flows(flows)
    if source in ("imf", "comtrade"):
        return load_remote(source, reporters=reporters, partners=partners, years=years, flows=flows, **remote)
    if remote:
        raise ParameterError("keyword", sorted(remote)[0], f"no extra keywords for source={source!r}")
    table = "national_trade" if source == "national" else "trade"
    years = parse_trade_years(years, table=table)
    frame = load_table(table)
    if source == "combined":  # a national row fills a key the bundled table leaves empty, never replaces one
        key = ["reporter_iso3", "partner_iso3", "flow", "year"]
        national = load_table("national_trade")
        new = ~national.set_index(key).index.isin(frame.set_index(key).index)
        frame = pd.concat([frame, national[new]], ignore_index=True).sort_values(key, ignore_index=True)
    mask = pd.Series(True, index=frame.index)
    for column, values in (("reporter_iso3", reporters), ("partner_iso3", partners), ("year", years),
                           ("flow", flows)):
        if values is not None:
            mask &= frame[column].isin(values)
    return frame[mask].reset_index(drop=True)


def coverage() -> pd.Series:
    """The day through which SCO events were checked, and the next summit as announced (``coverage.csv``).

    Examples
    --------
    >>> str(coverage()["checked_through"].date())
    '2026-09-04'
    """
    return load_table("coverage").iloc[0]


def coverage_note() -> str:
    """The line every report and every chart of events shows: "Events checked through <day>."

    The day is ``checked_through`` of ``coverage.csv``: facts after it may exist but are not in the data.

    Examples
    --------
    >>> coverage_note()
    'Events checked through 4 September 2026.'
    """
    return f"Events checked through {day_in_words(coverage()['checked_through'])}."


def stale_warning(today=None) -> str | None:
    """A warning when the next summit's month (its year's end if none is given) plus 30 days has passed.

    A scheduled render prints it, so a job cannot silently publish facts the summit has overtaken;
    ``None`` while the data can still be current.

    Examples
    --------
    >>> stale_warning("2026-11-28") is None
    True
    >>> stale_warning("2028-02-15")[:40]
    'The data may be out of date: events were'
    """
    c = coverage()
    day = pd.Timestamp.today().normalize() if today is None else parse_date(today, "today")
    month = 12 if pd.isna(c["next_summit_month"]) else int(c["next_summit_month"])
    due = pd.Timestamp(year=int(c["next_summit_year"]), month=month, day=1) + pd.offsets.MonthEnd(0)
    if day <= due + pd.Timedelta(days=30):
        return None
    where = c["next_summit_city"] or c["next_summit_host_iso3"]
    return (f"The data may be out of date: events were checked through {day_in_words(c['checked_through'])}, and summit "
            f"No. {int(c['next_summit_number'])} ({where}) was due by {due.strftime('%B %Y')}.")


def cite(source_id: str) -> str:
    """Format one source as a one-line citation.

    Raises
    ------
    ParameterError
        If ``source_id`` is not in ``sources.csv``.

    Examples
    --------
    >>> cite("tass_2025_chair").startswith("TASS")
    True
    """
    sources = load_sources().set_index("source_id")
    if source_id not in sources.index:
        raise ParameterError("source_id", source_id, f"one of the {len(sources)} ids in data/sources.csv")
    row = sources.loc[source_id]
    published = "n.d." if pd.isna(row["published"]) else row["published"].date().isoformat()
    return (f"{row['publisher']}, \"{row['title']}\", {published}, {row['url']} "
            f"(accessed {row['accessed'].date().isoformat()})")
