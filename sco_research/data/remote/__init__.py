"""Online trade sources (IMF IMTS, UN Comtrade), fetched through a cache with retries.

Nothing here runs unless ``load_trade(source="imf"|"comtrade")`` is called;
the package and its tests work offline. Each source module has two pure
functions, ``build_requests(...) -> [(url, headers)]`` and ``parse(text) ->
DataFrame``; :mod:`.http` moves the bytes (requests-cache and urllib3
``Retry``) and only ever caches a body that ``parse`` accepts.
"""

from __future__ import annotations

import pandas as pd

from ...errors import ParameterError
from ...params import require_choice
from ..vocab import TRADE_COLUMNS
from . import comtrade, imf
from .http import USER_AGENT, fetch

__all__ = ["SOURCES", "USER_AGENT", "fetch", "load_remote"]

#: The online sources by name, each a module with ``build_requests``, ``parse`` and ``parse_empty``.
SOURCES = {"imf": imf, "comtrade": comtrade}


def load_remote(source: str, *, reporters, partners, years, flows, cache_dir=None, timeout: float = 30.0,
                retries: int = 3, session=None) -> pd.DataFrame:
    """Fetch, parse and filter one online source into the columns of the bundled table.

    Parameters
    ----------
    source : {"imf", "comtrade"}
    reporters : list of str
        ISO3 codes, at least one.
    partners : list of str or None
        ISO3 codes or ``"WLD"``; all partners when None.
    years : int or list of int
        Required (the sources hold decades).
    flows : list of {"export", "import"} or None
    cache_dir, timeout, retries, session
        See :func:`sco_research.data.remote.http.fetch`.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`sco_research.data.vocab.TRADE_COLUMNS`, rows for the
        requested years and flows, sorted by reporter, partner, flow and year.

    Raises
    ------
    ParameterError
        For an unknown source, no reporters or no years.
    RemoteSourceError
        When a source cannot be reached or answers with something that is not data.
    """
    require_choice("source", source, SOURCES)
    module = SOURCES[source]
    if not reporters:
        raise ParameterError("reporters", reporters, f"at least one ISO3 code for source={source!r}")
    if years is None:
        raise ParameterError("years", years, f"explicit years for source={source!r}")
    years = [years] if isinstance(years, int) else list(years)
    frames = []
    for url, headers in module.build_requests(reporters=reporters, partners=partners, years=years, flows=flows):
        frame = fetch(url, module.parse, headers=headers, cache_dir=cache_dir, timeout=timeout, retries=retries,
                      session=session)
        if frame is not None and len(frame):  # None: 204 No Content, the query matched nothing
            frames.append(frame)
    frame = pd.concat(frames, ignore_index=True) if frames else module.parse_empty()
    mask = frame["year"].isin(years)
    if flows is not None:
        mask &= frame["flow"].isin(flows)
    return frame.loc[mask, list(TRADE_COLUMNS)].sort_values(["reporter_iso3", "partner_iso3", "flow", "year"],
                                                            ignore_index=True)
