"""HTTP for the online sources: a requests-cache session with urllib3 retries, and :func:`fetch`.

The session (:func:`cached_session`) is a :class:`requests_cache.CachedSession`:

* responses are kept in one SQLite file, ``<cache_dir>/http/responses.sqlite``
  (JSON-serialised, no pickle), for :data:`EXPIRE_AFTER`; the cache key is the
  method, the URL and the ``Accept`` header;
* the IMF answers ``Cache-Control: no-store``, so response headers are ignored
  (``cache_control=False``): the expiry is ours;
* a response is stored, and a stored response is used, only if ``validate``
  accepts its body (requests-cache's ``filter_fn`` runs before a write and
  after a read, and deletes a stored response it rejects);
* HTTP 429 and 5xx are retried ``retries`` times by
  :class:`urllib3.util.Retry` (GET only), honouring ``Retry-After`` up to
  :data:`RETRY_AFTER_MAX` seconds and backing off exponentially up to
  :data:`BACKOFF_MAX`; failed connections and reads are not retried, so an
  offline machine fails at once.

:func:`fetch` turns every failure into :class:`~sco_research.errors.RemoteSourceError`
naming the URL.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from ...errors import RemoteSourceError
from ...paths import cache_dir as default_cache_dir
from ...version import __version__

if TYPE_CHECKING:  # requests-cache, requests and urllib3 are imported when a session is made, not with the package
    import requests_cache
    from urllib3.util import Retry

T = TypeVar("T")

USER_AGENT = f"sco-research/{__version__} (research notebooks on the SCO)"
#: How long a stored response is used before it is fetched again.
EXPIRE_AFTER = timedelta(days=7)
#: Answers that are retried (too many requests, server errors).
RETRY_STATUSES = (429, 500, 502, 503, 504)
#: Longest wait, in seconds, between two attempts: the cap of the exponential backoff ...
BACKOFF_MAX = 30.0
#: ... and of a server's ``Retry-After`` (a 503 asking for a day is retried after this).
RETRY_AFTER_MAX = 30
#: Seconds allowed to open a connection (the ``timeout`` argument bounds the wait for the answer).
CONNECT_TIMEOUT = 3.05
#: What a parser raises on a body that is not data.
PARSE_ERRORS = (ValueError, KeyError, IndexError, TypeError)
OFFLINE_HINT = "Use source='bundled' (the offline table) or try again later."


def cache_path(cache_dir=None) -> Path:
    """The SQLite file holding the cached responses.

    Examples
    --------
    >>> cache_path("/tmp/sco").as_posix()
    '/tmp/sco/http/responses.sqlite'
    """
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    return folder / "http" / "responses.sqlite"


def retry_policy(retries: int) -> Retry:
    """Retry 429 and 5xx answers to GET ``retries`` times; never retry a failed connection or read.

    Examples
    --------
    >>> policy = retry_policy(3)
    >>> policy.total, policy.connect, policy.read, policy.retry_after_max
    (3, 0, 0, 30)
    """
    from urllib3.util import Retry

    return Retry(total=retries, connect=0, read=0, other=0, status=retries, backoff_factor=1.0,
                 backoff_max=BACKOFF_MAX, retry_after_max=RETRY_AFTER_MAX, status_forcelist=RETRY_STATUSES,
                 allowed_methods=["GET"], respect_retry_after_header=True, raise_on_status=False)


def body(response) -> str:
    """The response body as UTF-8 text (both APIs answer UTF-8 JSON); raises ValueError otherwise."""
    return response.content.decode("utf-8")


def cached_session(cache_dir=None, *, retries: int = 3, validate: Callable[[str], object] | None = None,
                   expire_after: timedelta = EXPIRE_AFTER) -> requests_cache.CachedSession:
    """A cached, retrying session (see the module docstring).

    Parameters
    ----------
    cache_dir : path, optional
        Defaults to :func:`sco_research.paths.cache_dir`.
    retries : int
        Extra attempts after a 429 or 5xx answer.
    validate : callable, optional
        ``validate(text)`` raises ValueError (or KeyError, IndexError,
        TypeError) when a body is not data; such a response is neither stored
        nor, if already stored, used. Without it every 200 is stored.
    expire_after : timedelta
    """
    def is_data(response) -> bool:
        if validate is None or response.status_code != 200:
            return True  # only 200 answers are ever stored (requests-cache's allowable_codes)
        try:
            validate(body(response))
        except PARSE_ERRORS:
            return False
        return True

    import requests_cache
    from requests.adapters import HTTPAdapter

    session = requests_cache.CachedSession(
        str(cache_path(cache_dir)), backend="sqlite", serializer="json", expire_after=expire_after,
        cache_control=False, allowable_codes=(200,), allowable_methods=("GET",), match_headers=["Accept"],
        filter_fn=is_data, stale_if_error=False)
    adapter = HTTPAdapter(max_retries=retry_policy(retries))
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    return session


def _attempts(response) -> int:
    retries = getattr(getattr(response, "raw", None), "retries", None)
    return len(retries.history) + 1 if retries is not None else 1


def _forget(session, response) -> None:
    """Delete ``response`` from the session's cache, if it has one and the response is in it."""
    cache, key = getattr(session, "cache", None), getattr(response, "cache_key", None)
    if cache is not None and key:
        cache.delete(key)


def fetch(url: str, parse: Callable[[str], T], *, headers: dict | None = None, cache_dir=None,
          timeout: float = 30.0, retries: int = 3, session=None) -> T | None:
    """GET ``url`` through the cache and return ``parse(body)``, or None for 204 No Content.

    Parameters
    ----------
    url : str
    parse : callable
        Turns the body into data; raises ValueError (or KeyError, IndexError,
        TypeError) when the body is not data. It also decides what is cached.
    headers : dict, optional
        ``Accept`` is part of the cache key.
    cache_dir : path, optional
        Defaults to :func:`sco_research.paths.cache_dir`.
    timeout : float
        Seconds to wait for the server's answer (connecting is limited to
        :data:`CONNECT_TIMEOUT`).
    retries : int
        Extra attempts after a 429 or 5xx answer.
    session : requests.Session, optional
        Used instead of :func:`cached_session` (then ``cache_dir`` and
        ``retries`` are its own business); a stored response that does not
        parse is still deleted from its cache, if it has one.

    Raises
    ------
    RemoteSourceError
        The server could not be reached, answered with an error, or answered
        200 with a body that is not data (which is not cached). A stored
        response that no longer parses (a damaged cache entry) is deleted and
        fetched again once.
    """
    own = session is None
    if own:
        session = cached_session(cache_dir, retries=retries, validate=parse)
    request_headers = {"User-Agent": USER_AGENT, **(headers or {})}
    try:
        for attempt in range(2):
            try:
                response = session.get(url, headers=request_headers, timeout=(min(CONNECT_TIMEOUT, timeout), timeout))
            except OSError as exc:  # requests' exceptions are OSErrors; all of them mean "no answer"
                raise RemoteSourceError(f"could not reach {url}: {type(exc).__name__}: {exc}. {OFFLINE_HINT}") from exc
            status = int(response.status_code)
            if status == 204:
                return None
            if status != 200:
                raise RemoteSourceError(f"{url} answered HTTP {status} after {_attempts(response)} attempt(s). "
                                        f"{OFFLINE_HINT}")
            try:
                return parse(body(response))
            except PARSE_ERRORS as exc:
                _forget(session, response)
                if getattr(response, "from_cache", False) and attempt == 0:
                    continue  # a damaged cache entry: it is gone now, ask the server
                kind = response.headers.get("Content-Type", "no Content-Type")
                raise RemoteSourceError(f"{url} answered HTTP 200 with something that is not data ({kind}; "
                                        f"{type(exc).__name__}: {exc}); nothing was cached. {OFFLINE_HINT}") from exc
        raise AssertionError("unreachable")
    finally:
        if own:
            session.close()
