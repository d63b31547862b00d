"""UN Comtrade (public preview API, no key, at most 500 records per call): requests and parsing.

``GET https://comtradeapi.un.org/public/v1/preview/C/A/HS?reporterCode=…&partnerCode=…&period=…&flowCode=X,M&cmdCode=TOTAL&customsCode=C00&motCode=0&partner2Code=0``
Comtrade uses its own numeric codes (M49-based; India is 699, the World 0).
``primaryValue`` is in US$: FOB for exports, CIF for imports.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pandas as pd

from ..vocab import TRADE_COLUMNS, VALUATIONS, WORLD

BASE = "https://comtradeapi.un.org/public/v1/preview/C/A/HS"
SOURCE_ID = "un_comtrade_api"
FLOW_CODES = {"export": "X", "import": "M"}
#: Comtrade reporter/partner codes that differ from ISO 3166-1 numeric.
COMTRADE_CODES = {"IND": 699, WORLD: 0}


def _code(iso3: str) -> int:
    import pycountry

    if iso3 in COMTRADE_CODES:
        return COMTRADE_CODES[iso3]
    return int(pycountry.countries.get(alpha_3=iso3).numeric)


def _iso3(code: int) -> str:
    import pycountry

    reverse = {v: k for k, v in COMTRADE_CODES.items()}
    if code in reverse:
        return reverse[code]
    country = pycountry.countries.get(numeric=f"{code:03d}")
    if country is None:
        raise ValueError(f"unknown Comtrade code {code}")
    return country.alpha_3


def build_requests(*, reporters, partners=None, years, flows=None) -> list[tuple[str, dict]]:
    """One request per reporter (the 500-record preview limit).

    Examples
    --------
    >>> build_requests(reporters=["CHN"], partners=["IND"], years=[2023], flows=["export"])[0][0]
    'https://comtradeapi.un.org/public/v1/preview/C/A/HS?reporterCode=156&partnerCode=699&period=2023&flowCode=X&cmdCode=TOTAL&customsCode=C00&motCode=0&partner2Code=0'
    """
    requests = []
    for reporter in reporters:
        query = {"reporterCode": _code(reporter)}
        if partners is not None:
            query["partnerCode"] = ",".join(str(_code(p)) for p in partners)
        query.update({"period": ",".join(str(y) for y in years),
                      "flowCode": ",".join(FLOW_CODES[f] for f in (flows or ("export", "import"))),
                      "cmdCode": "TOTAL", "customsCode": "C00", "motCode": 0, "partner2Code": 0})
        requests.append((f"{BASE}?{urlencode(query, safe=',')}", {}))
    return requests


def parse(text: str) -> pd.DataFrame:
    """Comtrade JSON -> the bundled table's columns. Raises ValueError on a malformed body or an API error."""
    body = json.loads(text)
    if not isinstance(body, dict) or "data" not in body:
        raise ValueError("no 'data' field in the response")
    if body.get("error"):
        raise ValueError(f"API error: {body['error']}")
    rows = []
    for record in body["data"] or []:
        flow = {"X": "export", "M": "import"}.get(record["flowCode"])
        if flow is None or record.get("cmdCode") != "TOTAL":
            continue
        rows.append({"reporter_iso3": _iso3(int(record["reporterCode"])),
                     "partner_iso3": _iso3(int(record["partnerCode"])), "flow": flow, "year": int(record["refYear"]),
                     "value_usd": int(round(float(record["primaryValue"]))), "valuation": VALUATIONS[flow],
                     # The preview records carry estimate flags for quantities only, not for values.
                     "is_estimate": False,
                     "source_id": SOURCE_ID, "note": ""})
    return pd.DataFrame(rows, columns=list(TRADE_COLUMNS))


def parse_empty() -> pd.DataFrame:
    return pd.DataFrame(columns=list(TRADE_COLUMNS))
