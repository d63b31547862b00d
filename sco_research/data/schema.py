"""One declaration per data file: its path, its pandera schema and its key.

:data:`TABLES` lists every file the package reads: the seven core tables,
cities, claims, population, the trade tables and the attribute columns of the
geometry file. Each :class:`Table` declares its columns once; its
:class:`pandera.pandas.DataFrameSchema` (built from them on first use) checks the columns (names, order-free but strict, types, formats, allowed
values, ranges, uniqueness of the key). Rules that span rows or files live in
:mod:`sco_research.data.checks`. :data:`LABELS` gives every table and column a
short label (Stata's 80 characters at most) and :data:`UNITS` the units known;
a data release (:mod:`sco_research.reports.release`) publishes both.

Column kinds are declared with the helpers below; a column's ``metadata["kind"]``
tells the store how to type the validated text:

* ``day``: ISO ``YYYY-MM-DD`` text, checked as text (so ``2017-6-9`` and
  ``9 June 2017`` are refused rather than guessed), then typed ``datetime64[s]``;
* ``flag``: ``true``/``false``, typed ``bool``;
* ``integer`` (``Int64``) and ``decimal`` (``Float64``): coerced by pandera;
* ``text``: ``string``.

Examples
--------
>>> TABLES["memberships"].file
'memberships.csv'
>>> TABLES["trade"].key
('reporter_iso3', 'partner_iso3', 'flow', 'year')
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from functools import cached_property

from .vocab import DATE_BASES, FLOWS, FORMATS, PRECISIONS, PRECURSOR_DATE, RECORDED_STATUSES, VALUATIONS

__all__ = ["TABLES", "Table", "Column", "TODAY", "LABELS", "UNITS"]

#: The day the data are checked against: no event, source or figure may lie after it.
TODAY = _dt.date.today().isoformat()

_ISO3 = r"^[A-Z]{3}$"
_ISO_DAY = r"^\d{4}-\d{2}-\d{2}$"


def _calendar_day(values):
    """True where the text is a real calendar day (``2007-08-32`` is not)."""
    def ok(text: str) -> bool:
        try:
            _dt.date.fromisoformat(text)
        except ValueError:
            return False
        return True

    return values.map(ok)


@dataclass(frozen=True)
class Column:
    """One column: its kind, pandera dtype, whether it may be empty, and its checks.

    ``checks`` are ``(pandera Check name, arguments, error message)``; the
    pandera objects are built on first use, so importing the package does not
    import pandera.
    """

    kind: str
    dtype: str
    optional: bool = False
    checks: tuple = ()

    def pandera(self):
        import pandera.pandas as pa

        checks = [pa.Check(_calendar_day, element_wise=False, error=error) if name == "calendar_day"
                  else getattr(pa.Check, name)(*args, error=error) for name, args, error in self.checks]
        dtype = {"str": str, "bool": bool, "object": object}.get(self.dtype, self.dtype)
        return pa.Column(dtype, checks=checks, nullable=self.optional, metadata={"kind": self.kind})


def text(*, regex: str | None = None, isin=None, optional: bool = False, error: str = "") -> Column:
    """A text column; required text may not be empty."""
    checks = []
    if regex is not None:
        checks.append(("str_matches", (regex,), error or f"must match {regex}"))
    if isin is not None:
        checks.append(("isin", (list(isin),), error or f"must be one of {', '.join(map(str, isin))}"))
    return Column("text", "str", optional, tuple(checks))


def day(*, first: str = "1900-01-01", last: str | None = TODAY, optional: bool = False) -> Column:
    """An ISO day between ``first`` and ``last`` (inclusive; ``last=None``: no upper bound)."""
    checks = [("str_matches", (_ISO_DAY,), "is not a date in YYYY-MM-DD form"),
              ("calendar_day", (), "is not a date in YYYY-MM-DD form"),
              ("ge", (first,), f"is before {first}")]
    if last is not None:
        checks.append(("le", (last,), f"is after {last} (today)" if last == TODAY else f"is after {last}"))
    return Column("day", "str", optional, tuple(checks))


def flag() -> Column:
    """``true`` or ``false``."""
    return Column("flag", "str", False, (("isin", (["true", "false"],), "must be 'true' or 'false'"),))


def integer(*, ge: int | None = None, le: int | None = None, optional: bool = False) -> Column:
    """A whole number, optionally bounded."""
    checks = []
    if ge is not None:
        checks.append(("ge", (ge,), f"must be at least {ge}"))
    if le is not None:
        checks.append(("le", (le,), f"must be at most {le}"))
    return Column("integer", "Int64", optional, tuple(checks))


def decimal(*, ge: float | None = None, le: float | None = None, optional: bool = False) -> Column:
    """A decimal number, optionally bounded."""
    checks = []
    if ge is not None and le is not None:
        checks.append(("in_range", (ge, le), f"must lie in [{ge:g}, {le:g}]"))
    elif ge is not None:
        checks.append(("ge", (ge,), f"must be at least {ge:g}"))
    return Column("decimal", "Float64", optional, tuple(checks))


@dataclass(frozen=True)
class Table:
    """One data file: where it is, its columns and the columns that identify a row."""

    name: str
    file: str  # path relative to the data folder, with '/'
    spec: dict  # column name -> Column
    key: tuple[str, ...]
    #: A parquet file (read with pyarrow) rather than a CSV file.
    parquet: bool = False

    @property
    def columns(self) -> list[str]:
        return list(self.spec)

    def kind(self, column: str) -> str:
        return self.spec[column].kind

    @cached_property
    def schema(self):
        """The pandera schema of the file (built on first use)."""
        import pandera.pandas as pa

        return pa.DataFrameSchema({name: column.pandera() for name, column in self.spec.items()},
                                  strict=True, coerce=True, name=self.file)


_SOURCE_ID = text(regex=r"^[a-z0-9_]+$", error="must be lowercase letters, digits and '_'")
_YEAR_NOW = _dt.date.today().year
_SCO_DAY = day(first=PRECURSOR_DATE.date().isoformat())

TABLES: dict[str, Table] = {t.name: t for t in [
    Table("sources", "sources.csv", {
        "source_id": _SOURCE_ID, "publisher": text(), "title": text(),
        "url": text(regex=r"^https?://\S+$", error="must be an http(s) URL"),
        "published": day(optional=True), "accessed": day(), "note": text(optional=True),
    }, ("source_id",)),
    Table("states", "states.csv", {
        "iso3": text(regex=_ISO3, error="must be three capital letters"),
        "iso_numeric": text(regex=r"^\d{3}$", error="must be three digits"),
        "name_en": text(), "name_ru": text(), "name_zh": text(), "source_id": text(),
    }, ("iso3",)),
    Table("memberships", "memberships.csv", {
        "iso3": text(regex=_ISO3, error="must be three capital letters"),
        "status": text(isin=RECORDED_STATUSES), "start_date": _SCO_DAY,
        "end_date": day(first=PRECURSOR_DATE.date().isoformat(), optional=True),
        "date_basis": text(isin=DATE_BASES),
        "alt_date": day(first=PRECURSOR_DATE.date().isoformat(), optional=True),
        "source_id": text(), "note": text(optional=True),
    }, ("iso3", "status", "start_date")),
    Table("cities", "cities.csv", {
        "geonames_id": integer(ge=1), "name_en": text(), "name_ru": text(), "name_zh": text(),
        "source_id": text(), "note": text(optional=True),
    }, ("geonames_id",)),
    Table("summits", "summits.csv", {
        "number": integer(ge=1), "start_date": _SCO_DAY, "end_date": _SCO_DAY, "city": text(),
        "host_iso3": text(regex=_ISO3, error="must be three capital letters"), "geonames_id": integer(ge=1),
        "latitude": decimal(ge=-90, le=90), "longitude": decimal(ge=-180, le=180),
        "coordinates_source_id": text(), "format": text(isin=FORMATS), "documents": text(optional=True),
        "source_id": text(), "documents_source_id": text(optional=True), "note": text(optional=True),
    }, ("number",)),
    Table("chairmanships", "chairmanships.csv", {
        "chair_iso3": text(regex=_ISO3, error="must be three capital letters"), "start_date": _SCO_DAY,
        "end_date": day(first=PRECURSOR_DATE.date().isoformat(), optional=True), "start_summit": integer(ge=1),
        "is_inferred": flag(), "source_id": text(), "note": text(optional=True),
    }, ("start_date",)),
    Table("secretaries_general", "secretaries_general.csv", {
        "name": text(), "name_ru": text(optional=True), "name_zh": text(optional=True),
        "nationality_iso3": text(regex=_ISO3, error="must be three capital letters"),
        "start_date": _SCO_DAY, "start_precision": text(isin=PRECISIONS),
        # A term's end may be scheduled, so it may lie after today.
        "end_date": day(first=PRECURSOR_DATE.date().isoformat(), last=None, optional=True),
        "end_precision": text(isin=PRECISIONS, optional=True), "source_id": text(),
        "name_ru_source_id": text(optional=True), "name_zh_source_id": text(optional=True), "note": text(optional=True),
    }, ("name", "start_date")),
    Table("claims", "claims.csv", {
        "claim_id": _SOURCE_ID, "claim": text(), "source_id": text(), "seed_files": text(optional=True),
        "metric": text(), "as_of": day(), "comparison": text(isin=("gt", "ge", "eq", "approx", "none")),
        "threshold": decimal(optional=True), "tolerance": decimal(ge=0, optional=True), "note": text(optional=True),
    }, ("claim_id",)),
    Table("population", "population.csv", {
        "iso3": text(regex=_ISO3, error="must be three capital letters"), "year": integer(ge=1960, le=_YEAR_NOW),
        "population": integer(ge=1), "source_id": text(),
    }, ("iso3", "year")),
    *[Table(name, file, {
        "reporter_iso3": text(regex=_ISO3, error="must be three capital letters"),
        "partner_iso3": text(regex=_ISO3, error="must be three capital letters (WLD for the world)"),
        "flow": text(isin=FLOWS), "year": integer(ge=1948, le=_YEAR_NOW), "value_usd": integer(ge=0),
        "valuation": text(isin=sorted(set(VALUATIONS.values()))), "is_estimate": flag(), "source_id": text(),
        "note": text(optional=True),
    }, ("reporter_iso3", "partner_iso3", "flow", "year")) for name, file in [
        ("trade", "trade/bilateral_goods_trade.csv"),
        ("customs_rows", "trade/customs_rows.csv"),
        ("national_trade", "trade/national_goods_trade.csv"),
    ]],
    Table("official_aggregates", "trade/official_aggregates.csv", {
        "aggregate_id": _SOURCE_ID, "reporter_iso3": text(regex=_ISO3, error="must be three capital letters"),
        "counterpart": text(),
        "membership_basis": text(regex=r"^(historical|unstated|bilateral|as_of:\d{4}-\d{2}-\d{2})$",
                                 error="must be historical, unstated, bilateral or as_of:YYYY-MM-DD"),
        "year": integer(ge=1948, le=_YEAR_NOW), "value_usd": integer(ge=1), "agency": text(),
        "reconcile_tolerance_pct": decimal(ge=0, optional=True), "source_id": text(), "note": text(optional=True),
    }, ("aggregate_id",)),
    Table("coverage", "coverage.csv", {
        "checked_through": day(), "next_summit_number": integer(ge=1),
        "next_summit_host_iso3": text(regex=_ISO3, error="must be three capital letters"),
        "next_summit_city": text(optional=True), "next_summit_year": integer(ge=2001),
        "next_summit_month": integer(ge=1, le=12, optional=True), "source_id": text(), "note": text(optional=True),
    }, ("checked_through",)),
    Table("geometries", "geometries/countries_50m.parquet", {
        "iso3": text(regex=_ISO3, optional=True, error="must be three capital letters"),
        "iso_numeric": text(regex=r"^\d{3}$", optional=True, error="must be three digits"),
        "name": text(), "un_region": text(), "un_subregion": text(),
        "has_iso_code": Column("bool", "bool"), "note": text(optional=True),
        "source_id": text(), "region_source_id": text(),
        "geometry": Column("wkb", "object"),
    }, ("name",), parquet=True),
]}

#: Columns that name a source, in any table.
SOURCE_COLUMNS = ("source_id", "documents_source_id", "coordinates_source_id", "region_source_id", "name_ru_source_id",
                  "name_zh_source_id")

_SOURCE = "Source (sources.csv)"
_REMARKS = "Remarks, with the sources they cite"
_TRADE_LABELS = {
    "reporter_iso3": "Reporting state, whose statistics give the value (ISO3)",
    "partner_iso3": "Partner state (ISO3), or WLD for the world",
    "flow": "Flow as seen from the reporter: export or import",
    "year": "Calendar year",
    "value_usd": "Value of goods trade, whole US dollars (current)",
    "valuation": "Valuation: FOB (exports) or CIF (imports)",
    "is_estimate": "True where the source marks the value as an estimate",
    "source_id": _SOURCE,
    "note": "Series breaks, disagreements and remarks",
}

#: A label for every table and every column (at most 80 characters, Stata's limit): the variable labels of a
#: Stata export and the descriptions of a data package (``data/README.md`` and its siblings explain at length).
LABELS: dict[str, tuple[str, dict[str, str]]] = {
    "sources": ("Citations: one row per source", {
        "source_id": "Source identifier, cited by the other tables",
        "publisher": "Publisher: organisation or outlet (and the agency it cites)",
        "title": "Headline or document title ([in brackets]: a supplied description)",
        "url": "Where the text can be read",
        "published": "Day of publication (empty when the page gives no full date)",
        "accessed": "Day the source was read",
        "note": "What the source supports",
    }),
    "states": ("States that ever held an SCO status, with ISO codes and names", {
        "iso3": "ISO 3166-1 alpha-3 code",
        "iso_numeric": "ISO 3166-1 numeric code (three-digit text)",
        "name_en": "ISO short name in English",
        "name_ru": "ISO name in Russian",
        "name_zh": "ISO name in Chinese (simplified)",
        "source_id": _SOURCE,
    }),
    "memberships": ("SCO status spells [start_date, end_date): state, status, first day", {
        "iso3": "State (ISO 3166-1 alpha-3)",
        "status": "SCO status held during the spell",
        "start_date": "First day of the spell (date_basis says how it is dated)",
        "end_date": "Day the spell ended, excluded from it (empty: ongoing)",
        "date_basis": "How start_date is dated",
        "alt_date": "Day a later memorandum was signed, when verified",
        "source_id": _SOURCE,
        "note": _REMARKS,
    }),
    "cities": ("Summit host cities in English, Russian and Chinese (GeoNames)", {
        "geonames_id": "GeoNames id of the city",
        "name_en": "GeoNames name of the city (as in summits.csv)",
        "name_ru": "Name in Russian (one of GeoNames' alternate names)",
        "name_zh": "Name in Chinese (one of GeoNames' alternate names)",
        "source_id": _SOURCE,
        "note": "Remarks",
    }),
    "summits": ("Meetings of the Council of Heads of State, numbered from Shanghai 2001", {
        "number": "Ordinal of the Council of Heads of State meeting",
        "start_date": "First day of the meeting, as the source gives it",
        "end_date": "Last day of the meeting (inclusive)",
        "city": "Host city (virtual meetings: the city named by their declaration)",
        "host_iso3": "Host state (ISO 3166-1 alpha-3)",
        "geonames_id": "GeoNames id of the host city (cities.csv)",
        "latitude": "Latitude of the host city, decimal degrees (WGS 84)",
        "longitude": "Longitude of the host city, decimal degrees (WGS 84)",
        "coordinates_source_id": "Source of the coordinates (sources.csv)",
        "format": "Format of the meeting: in-person, virtual or hybrid",
        "documents": "Main documents adopted, ';'-separated (empty: not verified)",
        "source_id": "Source of the dates and place (sources.csv)",
        "documents_source_id": "Source of the documents (sources.csv)",
        "note": _REMARKS,
    }),
    "chairmanships": ("Rotating chairmanship, from summit to summit", {
        "chair_iso3": "Chairing state (ISO 3166-1 alpha-3)",
        "start_date": "Last day of the summit that handed over the chair",
        "end_date": "Last day of the next summit, excluded (empty: ongoing)",
        "start_summit": "Number of the summit at which the chair was taken over",
        "is_inferred": "True when derived from the host-of-the-next-summit rule, not a source",
        "source_id": "Source (for inferred spells: of the next summit's host)",
        "note": _REMARKS,
    }),
    "secretaries_general": ("Heads of the SCO Secretariat", {
        "name": "Secretary-General (Executive Secretary until the title changed)",
        "name_ru": "The name in Russian, as a cited source writes it (empty: not verified)",
        "name_zh": "The name in Chinese, as a cited source writes it (empty: not verified)",
        "nationality_iso3": "Nationality (ISO 3166-1 alpha-3)",
        "start_date": "First day in office",
        "start_precision": "Precision of start_date: day, or year (then stored as 1 January)",
        "end_date": "Last day in office, inclusive (empty: in office)",
        "end_precision": "Precision of end_date: day, or year (then stored as 31 December)",
        "source_id": _SOURCE,
        "name_ru_source_id": "Source of name_ru (sources.csv)",
        "name_zh_source_id": "Source of name_zh (sources.csv)",
        "note": _REMARKS,
    }),
    "claims": ("Quantitative claims about the SCO, checked against the data", {
        "claim_id": "Claim identifier",
        "claim": "The wording checked, as published",
        "source_id": "Publication making the claim (sources.csv)",
        "seed_files": "Seed articles of the project making the same or a related claim",
        "metric": "What is computed from the data to check the claim",
        "as_of": "Day for which the metric is computed",
        "comparison": "How the claim is read: gt, ge, eq, approx or none",
        "threshold": "Value the metric is compared with",
        "tolerance": "Relative tolerance of an approx comparison",
        "note": "Reading of vague words, and caveats",
    }),
    "population": ("Total population by economy and year (World Bank WDI, SP.POP.TOTL)", {
        "iso3": "Economy (ISO 3166-1 alpha-3)",
        "year": "Calendar year",
        "population": "Total population, persons (mid-year estimate)",
        "source_id": _SOURCE,
    }),
    "trade": ("Bilateral goods trade as reported (IMF DOTS 2001-2020, customs releases later)",
              _TRADE_LABELS),
    "customs_rows": ("National customs releases from 2021, merged into the bilateral trade table", _TRADE_LABELS),
    "national_trade": ("Goods trade reported by the Kazakh and Kyrgyz statistics offices, 2021-2023",
                       _TRADE_LABELS),
    "official_aggregates": ("Headline trade figures published by governments, for reconciliation", {
        "aggregate_id": "Figure identifier",
        "reporter_iso3": "Whose trade it is (ISO 3166-1 alpha-3)",
        "counterpart": "sco_members, a partner's ISO3 code, or WLD (the world)",
        "membership_basis": "Members counted: historical, as_of:DATE, bilateral or unstated",
        "year": "Calendar year of the figure",
        "value_usd": "The figure as published, whole US dollars (current)",
        "agency": "Original publisher of the statistic",
        "reconcile_tolerance_pct": "Gap allowed, percent, where the data reproduce the figure",
        "source_id": _SOURCE,
        "note": "Comment; why a figure cannot be reproduced",
    }),
    "coverage": ("How far the events were checked, and the next summit as announced", {
        "checked_through": "Day of the latest public report found when sources were last searched",
        "next_summit_number": "Ordinal of the next CHS meeting (not yet in summits.csv)",
        "next_summit_host_iso3": "Host state of the next summit as announced (ISO3)",
        "next_summit_city": "Host city of the next summit as announced",
        "next_summit_year": "Year of the next summit as announced",
        "next_summit_month": "Month (1-12) of the next summit as announced (empty: not known)",
        "source_id": "The announcement (sources.csv)",
        "note": "Other sources, disagreements, and what could not be found",
    }),
    "geometries": ("Country boundaries: Natural Earth 4.1.0 admin-0, 1:50m (world-atlas 2.0.2)", {
        "iso3": "ISO 3166-1 alpha-3 (empty for the five features without an ISO code)",
        "iso_numeric": "ISO 3166-1 numeric id as given by world-atlas (three-digit text)",
        "name": "Natural Earth's English short name",
        "un_region": "UN M49 region",
        "un_subregion": "UN M49 sub-region",
        "has_iso_code": "False for the five features without an ISO code",
        "note": "Why a feature has no code, or which features were dissolved into it",
        "source_id": "Source of the boundary (sources.csv)",
        "region_source_id": "Source of the regions (sources.csv)",
        "geometry": "Polygon or MultiPolygon, longitude/latitude on WGS 84 (WKB)",
    }),
}

#: Units of the columns that carry one, by column name (the same in every table).
UNITS: dict[str, str] = {
    "value_usd": "US dollars (current, whole dollars)",
    "population": "persons",
    "latitude": "decimal degrees (WGS 84)",
    "longitude": "decimal degrees (WGS 84)",
    "reconcile_tolerance_pct": "percent",
}
