"""The bundled trade tables in ``data/trade/``: typed reading, checks and filtering."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from ..errors import DataValidationError, ParameterError, require_choice
from ..paths import data_dir

FLOWS = ("export", "import")
WORLD = "WLD"
TRADE_FILE = "trade/bilateral_goods_trade.csv"
AGGREGATES_FILE = "trade/official_aggregates.csv"
_TRADE_COLUMNS = ["reporter_iso3", "partner_iso3", "flow", "year", "value_usd", "valuation", "is_estimate",
                  "source_id", "note"]
_VALUATION = {"export": "FOB", "import": "CIF"}


def _fail(file: str, index, column, problem):
    raise DataValidationError(file, None if index is None else int(index) + 2, column, problem)


def _read_csv(relative: str, columns: list[str]) -> pd.DataFrame:
    path = data_dir() / relative
    if not path.exists():
        raise DataValidationError(relative, None, None, "file missing")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    if list(frame.columns) != columns:
        raise DataValidationError(relative, 1, None, f"columns must be {columns}, found {list(frame.columns)}")
    return frame


def _integers(frame: pd.DataFrame, column: str, file: str, *, minimum: int = 0) -> pd.Series:
    text = frame[column]
    ok = text.str.fullmatch(r"\d+")
    if not ok.all():
        i = ok.idxmin()
        _fail(file, i, column, f"value {text[i]!r} is not a whole non-negative number")
    values = text.astype("int64")
    if (values < minimum).any():
        i = (values < minimum).idxmax()
        _fail(file, i, column, f"value {values[i]} is below {minimum}")
    return values


@lru_cache(maxsize=4)
def _load_trade(data_key: str) -> pd.DataFrame:
    from ..datasets import load_table

    raw = _read_csv(TRADE_FILE, _TRADE_COLUMNS)
    codes = set(load_table("states")["iso3"])
    for column, allowed in (("reporter_iso3", codes), ("partner_iso3", codes | {WORLD})):
        bad = ~raw[column].isin(allowed)
        if bad.any():
            i = bad.idxmax()
            _fail(TRADE_FILE, i, column, f"unknown code {raw.at[i, column]!r} (not in states.csv{' or WLD' if WORLD in allowed else ''})")
    bad = ~raw["flow"].isin(FLOWS)
    if bad.any():
        i = bad.idxmax()
        _fail(TRADE_FILE, i, "flow", f"value {raw.at[i, 'flow']!r} must be one of {', '.join(FLOWS)}")
    bad = raw["valuation"] != raw["flow"].map(_VALUATION)
    if bad.any():
        i = bad.idxmax()
        _fail(TRADE_FILE, i, "valuation", f"{raw.at[i, 'flow']} values must be {_VALUATION[raw.at[i, 'flow']]}")
    bad = ~raw["is_estimate"].isin(["true", "false"])
    if bad.any():
        i = bad.idxmax()
        _fail(TRADE_FILE, i, "is_estimate", f"value {raw.at[i, 'is_estimate']!r} must be true or false")
    known = set(load_table("sources")["source_id"])
    bad = ~raw["source_id"].isin(known)
    if bad.any():
        i = bad.idxmax()
        _fail(TRADE_FILE, i, "source_id", f"source_id {raw.at[i, 'source_id']!r} is not in sources.csv")
    frame = raw.assign(year=_integers(raw, "year", TRADE_FILE, minimum=1948),
                       value_usd=_integers(raw, "value_usd", TRADE_FILE),
                       is_estimate=raw["is_estimate"] == "true")
    same = frame["reporter_iso3"] == frame["partner_iso3"]
    if same.any():
        i = same.idxmax()
        _fail(TRADE_FILE, i, "partner_iso3", "a reporter cannot trade with itself")
    dup = frame.duplicated(["reporter_iso3", "partner_iso3", "flow", "year"])
    if dup.any():
        i = dup.idxmax()
        _fail(TRADE_FILE, i, "year", "duplicate (reporter_iso3, partner_iso3, flow, year)")
    for column in ("reporter_iso3", "partner_iso3", "flow", "valuation", "source_id", "note"):
        frame[column] = frame[column].astype("string")
    return frame


def _codes(value, name: str, allowed: set[str]) -> list[str] | None:
    if value is None:
        return None
    values = [value] if isinstance(value, str) else list(value)
    for code in values:
        if code not in allowed:
            raise ParameterError(name, code, "ISO3 codes from states.csv"
                                 + (" or 'WLD'" if WORLD in allowed else "") + ": " + ", ".join(sorted(allowed)))
    return values


def year_range() -> tuple[int, int]:
    """First and last year in the bundled table.

    Examples
    --------
    >>> year_range()
    (2001, 2024)
    """
    years = _load_trade(str(data_dir()))["year"]
    return int(years.min()), int(years.max())


def check_years(years, name: str = "years") -> list[int] | None:
    """Validate a year selection against the bundled table's range."""
    if years is None:
        return None
    first, last = year_range()
    values = [years] if isinstance(years, int) else list(years)
    for year in values:
        if not isinstance(year, int) or isinstance(year, bool) or not first <= year <= last:
            raise ParameterError(name, year, f"integer years from {first} to {last}")
    return values


def check_flows(flows) -> list[str] | None:
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
    source : {"bundled", "imf", "comtrade"}
        ``"bundled"`` (default, offline) reads ``data/trade/bilateral_goods_trade.csv``;
        ``"imf"`` (IMF IMTS) and ``"comtrade"`` (UN Comtrade preview API) fetch
        online through an on-disk cache (see :mod:`sco_research.data.remote`).
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
    """
    from ..datasets import load_table

    sources = ("bundled", "imf", "comtrade")
    require_choice("source", source, sources)
    codes = set(load_table("states")["iso3"])
    reporters = _codes(reporters, "reporters", codes)
    partners = _codes(partners, "partners", codes | {WORLD})
    flows = check_flows(flows)
    if source != "bundled":
        from . import remote as online

        return online.load_remote(source, reporters=reporters, partners=partners, years=years, flows=flows, **remote)
    if remote:
        raise ParameterError("keyword", sorted(remote)[0], "no extra keywords for source='bundled'")
    years = check_years(years)
    frame = _load_trade(str(data_dir()))
    mask = pd.Series(True, index=frame.index)
    for column, values in (("reporter_iso3", reporters), ("partner_iso3", partners), ("year", years),
                           ("flow", flows)):
        if values is not None:
            mask &= frame[column].isin(values)
    return frame[mask].reset_index(drop=True)


@lru_cache(maxsize=4)
def _load_aggregates(data_key: str) -> pd.DataFrame:
    from ..datasets import load_table

    columns = ["aggregate_id", "reporter_iso3", "counterpart", "membership_basis", "year", "value_usd", "agency",
               "reconcile_tolerance_pct", "source_id", "note"]
    raw = _read_csv(AGGREGATES_FILE, columns)
    known = set(load_table("sources")["source_id"])
    bad = ~raw["source_id"].isin(known)
    if bad.any():
        i = bad.idxmax()
        _fail(AGGREGATES_FILE, i, "source_id", f"source_id {raw.at[i, 'source_id']!r} is not in sources.csv")
    basis = raw["membership_basis"].str.fullmatch(r"historical|unstated|bilateral|as_of:\d{4}-\d{2}-\d{2}")
    if not basis.all():
        i = basis.idxmin()
        _fail(AGGREGATES_FILE, i, "membership_basis",
              f"value {raw.at[i, 'membership_basis']!r} must be historical, unstated, bilateral or as_of:YYYY-MM-DD")
    frame = raw.assign(year=_integers(raw, "year", AGGREGATES_FILE, minimum=1948),
                       value_usd=_integers(raw, "value_usd", AGGREGATES_FILE),
                       reconcile_tolerance_pct=pd.to_numeric(raw["reconcile_tolerance_pct"].replace("", None)))
    if frame["aggregate_id"].duplicated().any():
        i = frame["aggregate_id"].duplicated().idxmax()
        _fail(AGGREGATES_FILE, i, "aggregate_id", f"duplicate id {frame.at[i, 'aggregate_id']!r}")
    return frame


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
    return _load_aggregates(str(data_dir())).copy()
