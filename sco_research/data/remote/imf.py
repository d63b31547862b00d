"""IMF International Trade in Goods by partner (IMTS, the successor of DOTS): requests and parsing.

Endpoint (SDMX 3.0, no key): ``https://api.imf.org/external/sdmx/3.0/data/dataflow/IMF.STA/IMTS/+/{key}``
with key ``COUNTRY.INDICATOR.COUNTERPART_COUNTRY.FREQUENCY`` (``+`` joins
values) and ``Accept: application/vnd.sdmx.data+csv;version=2.0.0``.
Indicators ``XG_FOB_USD`` (exports FOB) and ``MG_CIF_USD`` (imports CIF);
the world counterpart is ``G001``. ``OBS_VALUE`` is in whole US$ (do not
apply ``SCALE``).
"""

from __future__ import annotations

import io

import pandas as pd

from ..vocab import TRADE_COLUMNS

BASE = "https://api.imf.org/external/sdmx/3.0/data/dataflow/IMF.STA/IMTS/+/"
ACCEPT = "application/vnd.sdmx.data+csv;version=2.0.0"
INDICATORS = {"export": "XG_FOB_USD", "import": "MG_CIF_USD"}
WORLD = "G001"
SOURCE_ID = "imf_imts_api"


def build_requests(*, reporters, partners=None, years=None, flows=None) -> list[tuple[str, dict]]:
    """One request for all reporters, partners and flows (years are filtered after parsing).

    Examples
    --------
    >>> url, headers = build_requests(reporters=["CHN"], partners=["RUS", "WLD"], flows=["export"])[0]
    >>> url
    'https://api.imf.org/external/sdmx/3.0/data/dataflow/IMF.STA/IMTS/+/CHN.XG_FOB_USD.RUS+G001.A'
    """
    indicators = "+".join(INDICATORS[f] for f in (flows or ("export", "import")))
    counterparts = "" if partners is None else "+".join(WORLD if p == "WLD" else p for p in partners)
    key = f"{'+'.join(reporters)}.{indicators}.{counterparts}.A"
    return [(BASE + key, {"Accept": ACCEPT})]


def parse(text: str) -> pd.DataFrame:
    """SDMX-CSV 2.0 -> the bundled table's columns. Raises ValueError on a malformed body."""
    raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    needed = {"COUNTRY", "INDICATOR", "COUNTERPART_COUNTRY", "FREQUENCY", "TIME_PERIOD", "OBS_VALUE"}
    if not needed <= set(raw.columns):
        raise ValueError(f"missing SDMX-CSV columns {sorted(needed - set(raw.columns))}")
    raw = raw[(raw["FREQUENCY"] == "A") & raw["INDICATOR"].isin(INDICATORS.values()) & (raw["OBS_VALUE"] != "")]
    flow = raw["INDICATOR"].map({v: k for k, v in INDICATORS.items()})
    frame = pd.DataFrame({
        "reporter_iso3": raw["COUNTRY"], "partner_iso3": raw["COUNTERPART_COUNTRY"].replace({WORLD: "WLD"}),
        "flow": flow, "year": raw["TIME_PERIOD"].astype("int64"),
        "value_usd": pd.to_numeric(raw["OBS_VALUE"]).round().astype("int64"),
        "valuation": flow.map({"export": "FOB", "import": "CIF"}),
        "is_estimate": raw.get("STATUS", pd.Series("", index=raw.index)).eq("E"),
        "source_id": SOURCE_ID, "note": "",
    })
    return frame.reset_index(drop=True)


def parse_empty() -> pd.DataFrame:
    return pd.DataFrame(columns=list(TRADE_COLUMNS))
