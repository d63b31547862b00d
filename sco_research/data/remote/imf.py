"""IMF International Trade in Goods by partner (IMTS, the successor of DOTS): requests and parsing.

Request (SDMX 3.0 REST, no key), in the form of the recorded api.imf.org calls
in ``tests/fixtures/imf_sdmx3/``: the dataflow ``IMF.STA/IMTS``, latest version
``+``, key ``*`` and one ``c[DIMENSION]=a,b`` filter per dimension (a comma is
an OR in SDMX 3.0; ``+`` in a key is SDMX 2.1 syntax), with ``Accept:
application/json``. Dimensions ``COUNTRY``, ``INDICATOR`` (``XG_FOB_USD``
exports FOB, ``MG_CIF_USD`` imports CIF), ``COUNTERPART_COUNTRY`` (the world
is ``G001``) and ``FREQUENCY``.

Answer: an SDMX-JSON 2.0 data message (checked against recorded responses of
the same API), HTTP 204 with no body when nothing matches, or a message whose
data set has no series. ``OBS_VALUE`` is read as whole US$ and ``SCALE`` (6 in
IMTS, by third-party reports) is not applied; see ``data/trade/README.md`` for
what has not been checked against a recorded IMTS answer.
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote, urlencode

import pandas as pd

from ..vocab import TRADE_COLUMNS, VALUATIONS, WORLD

BASE = "https://api.imf.org/external/sdmx/3.0/data/dataflow/IMF.STA/IMTS/+/"
ACCEPT = "application/json"
INDICATORS = {"export": "XG_FOB_USD", "import": "MG_CIF_USD"}
IMF_WORLD = "G001"
SOURCE_ID = "imf_imts_api"
#: SCALE values whose OBS_VALUE is known to be in whole units (6 is a display hint in IMTS).
KNOWN_SCALES = {"0", "6"}
_ANNUAL = re.compile(r"(\d{4})(?:-A1)?")


def build_requests(*, reporters, partners=None, years=None, flows=None) -> list[tuple[str, dict]]:
    """One request for all reporters, partners and flows (years are filtered after parsing).

    Examples
    --------
    >>> url, headers = build_requests(reporters=["CHN"], partners=["RUS", "WLD"], flows=["export"])[0]
    >>> url
    'https://api.imf.org/external/sdmx/3.0/data/dataflow/IMF.STA/IMTS/+/*?c%5BCOUNTRY%5D=CHN&c%5BINDICATOR%5D=XG_FOB_USD&c%5BCOUNTERPART_COUNTRY%5D=RUS,G001&c%5BFREQUENCY%5D=A&attributes=dsd&measures=all'
    >>> headers
    {'Accept': 'application/json'}
    """
    filters = {"COUNTRY": reporters, "INDICATOR": [INDICATORS[f] for f in (flows or ("export", "import"))]}
    if partners is not None:
        filters["COUNTERPART_COUNTRY"] = [IMF_WORLD if p == WORLD else p for p in partners]
    filters["FREQUENCY"] = ["A"]
    query = [(f"c[{dimension}]", ",".join(values)) for dimension, values in filters.items()]
    query += [("attributes", "dsd"), ("measures", "all")]
    return [(f"{BASE}*?{urlencode(query, safe=',', quote_via=quote)}", {"Accept": ACCEPT})]


def _value(component: dict, raw):
    """A value of a component in a data set: an index into its ``values`` when it lists some, else the value."""
    if raw is None:
        return None
    listed = component.get("values")
    if listed and isinstance(raw, int) and not isinstance(raw, bool):
        item = listed[raw]
        return item["id"] if "id" in item else item["value"]
    return json.dumps(raw) if isinstance(raw, (dict, list)) else str(raw)


def _key(components: list[dict], key: str) -> dict:
    """``"0:1:0"`` -> {dimension id: value id}, for the dimensions of one level."""
    indexes = key.split(":") if components else []
    if len(indexes) != len(components):
        raise ValueError(f"key {key!r} does not match {len(components)} dimension(s)")
    return {c["id"]: _value(c, int(i)) for c, i in zip(components, indexes)}


def _values(components: list[dict], raw: list | None) -> dict:
    raw = list(raw or [])
    return {c["id"]: _value(c, raw[i] if i < len(raw) else None) for i, c in enumerate(components)}


def read_sdmx_json(text: str) -> pd.DataFrame:
    """An SDMX-JSON 2.0 data message -> one row per observation, one text column per component.

    Dimensions, measures and attributes (data set, series and observation
    level) become columns named by their ids; coded values are resolved to
    their ids; missing values are None. Raises ValueError when ``text`` is not
    such a message.

    Examples
    --------
    >>> message = {"data": {"structures": [{"dimensions": {
    ...     "series": [{"id": "COUNTRY", "values": [{"id": "CHN"}]}],
    ...     "observation": [{"id": "TIME_PERIOD", "values": [{"value": "2024"}]}]},
    ...     "measures": {"observation": [{"id": "OBS_VALUE"}]},
    ...     "attributes": {"series": [{"id": "SCALE", "values": [{"id": "6"}]}]}}],
    ...     "dataSets": [{"structure": 0, "series": {"0": {"attributes": [0], "observations": {"0": ["1.5"]}}}}]}}
    >>> read_sdmx_json(json.dumps(message)).to_dict("records")
    [{'COUNTRY': 'CHN', 'TIME_PERIOD': '2024', 'OBS_VALUE': '1.5', 'SCALE': '6'}]
    """
    message = json.loads(text)
    if not isinstance(message, dict) or not isinstance(message.get("data"), dict):
        errors = message.get("errors") if isinstance(message, dict) else None
        raise ValueError(f"API error: {errors}" if errors else "not an SDMX-JSON data message (no 'data' object)")
    data = message["data"]
    if "dataSets" not in data or "structures" not in data:
        raise ValueError("not an SDMX-JSON 2.0 data message (no 'dataSets' and 'structures')")
    rows, columns = [], []
    try:
        for data_set in data["dataSets"]:
            structure = data["structures"][data_set.get("structure", 0)]
            dimensions, attributes = structure["dimensions"], structure.get("attributes", {})
            measures = structure.get("measures", {}).get("observation") or [{"id": "OBS_VALUE"}]
            levels = {level: dimensions.get(level, []) for level in ("dataSet", "series", "observation")}
            observation_attributes = attributes.get("observation", [])
            columns = [c["id"] for level in levels.values() for c in level] + [m["id"] for m in measures] + [
                c["id"] for level in ("dataSet", "series", "observation") for c in attributes.get(level, [])]
            base = {c["id"]: _value(c, 0) for c in levels["dataSet"]}
            base.update(_values(attributes.get("dataSet", []), data_set.get("attributes")))
            groups = [({}, {"observations": data_set["observations"]})] if "observations" in data_set else [
                (_key(levels["series"], key), series) for key, series in data_set.get("series", {}).items()]
            for series_key, series in groups:
                series_values = {**base, **series_key,
                                 **_values(attributes.get("series", []), series.get("attributes"))}
                for obs_key, values in series.get("observations", {}).items():
                    row = {**series_values, **_key(levels["observation"], obs_key)}
                    row.update(_values(measures, values[:len(measures)]))
                    row.update(_values(observation_attributes, values[len(measures):]))
                    rows.append(row)
    except (KeyError, IndexError, TypeError, AttributeError) as exc:
        raise ValueError(f"malformed SDMX-JSON data message ({type(exc).__name__}: {exc})") from exc
    return pd.DataFrame(rows, columns=list(dict.fromkeys(columns)), dtype=object)


def parse(text: str) -> pd.DataFrame:
    """An IMTS answer (SDMX-JSON 2.0) -> the bundled table's columns. Raises ValueError on a body that is not one.

    A message with no observations gives no rows. Observations without a value (null, empty or ``NaN``)
    are dropped.
    """
    table = read_sdmx_json(text)
    if table.empty:
        return parse_empty()
    needed = ["COUNTRY", "INDICATOR", "COUNTERPART_COUNTRY", "FREQUENCY", "TIME_PERIOD", "OBS_VALUE"]
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise ValueError(f"not an IMTS message: no {', '.join(missing)}")
    if "SCALE" in table.columns:
        unknown = set(table["SCALE"].dropna()) - KNOWN_SCALES
        if unknown:
            raise ValueError(f"SCALE {sorted(unknown)}: only {sorted(KNOWN_SCALES)} are known to leave OBS_VALUE "
                             "in whole US$")
    present = table["OBS_VALUE"].notna() & ~table["OBS_VALUE"].isin(["", "NaN"])  # NaN: SDMX's missing value
    table = table[(table["FREQUENCY"] == "A") & table["INDICATOR"].isin(INDICATORS.values()) & present]
    values = pd.to_numeric(table["OBS_VALUE"], errors="coerce")
    if values.isna().any() or (values < 0).any():
        bad = table["OBS_VALUE"][values.isna() | (values < 0)].iloc[0]
        raise ValueError(f"OBS_VALUE {bad!r} is not a non-negative number")
    years = table["TIME_PERIOD"].fillna("").str.fullmatch(_ANNUAL.pattern)
    if not years.all():
        raise ValueError(f"TIME_PERIOD {table['TIME_PERIOD'][~years].iloc[0]!r} is not a year")
    flow = table["INDICATOR"].map({v: k for k, v in INDICATORS.items()})
    frame = pd.DataFrame({
        "reporter_iso3": table["COUNTRY"], "partner_iso3": table["COUNTERPART_COUNTRY"].replace({IMF_WORLD: WORLD}),
        "flow": flow, "year": table["TIME_PERIOD"].str.extract(_ANNUAL.pattern, expand=False).astype("int64"),
        "value_usd": values.round().astype("int64"), "valuation": flow.map(VALUATIONS),
        "is_estimate": table["STATUS"].eq("E") if "STATUS" in table.columns else False,
        "source_id": SOURCE_ID, "note": "",
    })
    return frame.reset_index(drop=True)


def parse_empty() -> pd.DataFrame:
    return pd.DataFrame(columns=list(TRADE_COLUMNS))
