"""Online trade sources (IMF IMTS, UN Comtrade): HTTP with an on-disk cache, a timeout and retries.

Nothing here runs unless ``load_trade(source="imf"|"comtrade")`` is called;
the package and its tests work offline. Each source module has two pure
functions, ``build_request(...) -> (url, headers)`` and ``parse(text) ->
DataFrame``; this module only moves bytes:

* responses are cached under ``<cache_dir>/http/<sha256 of the URL>`` and a
  cached response is returned without any request;
* HTTP 429 and 5xx are retried with exponential backoff (``retries`` times);
* other failures raise :class:`RemoteSourceError`, naming the URL, the cause
  and the offline alternative (``source="bundled"``). Nothing is cached then.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pandas as pd

from ...errors import ParameterError, RemoteSourceError
from ...paths import cache_dir as default_cache_dir

USER_AGENT = "sco-research (https://github.com/; research notebooks on the SCO)"
RETRY_STATUSES = {429, 500, 502, 503, 504}


def _cache_path(folder: Path, url: str) -> Path:
    return folder / "http" / hashlib.sha256(url.encode("utf-8")).hexdigest()


def fetch(url: str, *, headers: dict | None = None, cache_dir=None, timeout: float = 30.0, retries: int = 3,
          backoff: float = 1.0, session=None, sleep=time.sleep) -> str:
    """GET ``url`` through the on-disk cache; return the response text.

    Parameters
    ----------
    url : str
    headers : dict, optional
    cache_dir : path, optional
        Defaults to :func:`sco_research.paths.cache_dir`.
    timeout : float
        Seconds per request.
    retries : int
        Extra attempts after a 429 or 5xx answer (waits ``backoff * 2**n`` s,
        or the server's ``Retry-After`` when it sends one).
    session : requests.Session-like, optional
        Anything with ``get(url, headers=, timeout=)``; tests pass a fake.
    sleep : callable
        Used for the waits (tests pass a no-op).

    Raises
    ------
    RemoteSourceError
    """
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    cached = _cache_path(folder, url)
    if cached.exists():
        return cached.read_text(encoding="utf-8")
    if session is None:
        import requests

        session = requests.Session()
    headers = {"User-Agent": USER_AGENT, **(headers or {})}
    offline = "Use source='bundled' (the offline table) or try again later."
    for attempt in range(retries + 1):
        try:
            response = session.get(url, headers=headers, timeout=timeout)
        except Exception as exc:  # requests raises many types; all mean "no answer"
            raise RemoteSourceError(f"could not reach {url}: {type(exc).__name__}: {exc}. {offline}") from exc
        status = int(response.status_code)
        if status == 200:
            text = response.text
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_suffix(".tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(cached)
            return text
        if status in RETRY_STATUSES and attempt < retries:
            retry_after = (response.headers or {}).get("Retry-After")
            sleep(float(retry_after) if retry_after and str(retry_after).isdigit() else backoff * 2 ** attempt)
            continue
        raise RemoteSourceError(f"{url} answered HTTP {status} after {attempt + 1} attempt(s). {offline}")
    raise AssertionError("unreachable")


def load_remote(source: str, *, reporters, partners, years, flows, cache_dir=None, timeout: float = 30.0,
                retries: int = 3, session=None, sleep=time.sleep) -> pd.DataFrame:
    """Fetch, parse and filter one online source into the bundled table's columns."""
    from . import comtrade, imf

    module = {"imf": imf, "comtrade": comtrade}[source]
    if not reporters:
        raise ParameterError("reporters", reporters, f"at least one ISO3 code for source={source!r}")
    if years is None:
        raise ParameterError("years", years, f"explicit years for source={source!r}")
    years = [years] if isinstance(years, int) else list(years)
    frames = []
    for url, headers in module.build_requests(reporters=reporters, partners=partners, years=years, flows=flows):
        text = fetch(url, headers=headers, cache_dir=cache_dir, timeout=timeout, retries=retries, session=session,
                     sleep=sleep)
        try:
            frames.append(module.parse(text))
        except (ValueError, KeyError) as exc:
            raise RemoteSourceError(f"{url}: unexpected response ({exc}); the cached copy was kept at "
                                    f"{_cache_path(Path(cache_dir) if cache_dir else default_cache_dir(), url)}") from exc
    frame = pd.concat(frames, ignore_index=True) if frames else module.parse_empty()
    mask = frame["year"].isin(years)
    if flows is not None:
        mask &= frame["flow"].isin(flows)
    return frame[mask].sort_values(["reporter_iso3", "partner_iso3", "flow", "year"], ignore_index=True)
