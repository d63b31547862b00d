"""The online trade sources (sco_research.data.remote), offline: a local HTTP server, recorded responses, fixtures.

No test reaches the network. The HTTP tests run the real stack (requests-cache, requests, urllib3 retries)
against a server on 127.0.0.1 that answers from a script; waits are recorded by patching ``time.sleep``.
"""

import json
import socket
import sqlite3
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import sco_research as sco
from sco_research.data.remote import comtrade, fetch, http, imf, load_remote
from sco_research.data.vocab import TRADE_COLUMNS
from sco_research.errors import ParameterError, RemoteSourceError

FIXTURES = Path(__file__).parent / "fixtures"
COMTRADE_BODY = (FIXTURES / "trade" / "comtrade_chn_ind_2022.json").read_bytes()
JSON = {"Content-Type": "application/json"}


# --- a scripted local server ---------------------------------------------------------------------

class Server:
    """Answers GET requests from ``answers`` (status, headers, body), in order, and records each request."""

    def __init__(self):
        self.answers, self.requests = [], []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                owner.requests.append((self.path, dict(self.headers)))
                status, headers, body = owner.answers.pop(0) if owner.answers else (418, {}, b"unexpected request")
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def answer(self, *answers):
        self.answers.extend(answers)


@pytest.fixture
def server():
    srv = Server()
    srv.thread.start()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()


@pytest.fixture
def sleeps(monkeypatch):
    """Every wait urllib3 asks for, in seconds, without waiting."""
    waits = []
    monkeypatch.setattr(time, "sleep", waits.append)
    return waits


@pytest.fixture
def comtrade_at(server, monkeypatch):
    monkeypatch.setattr(comtrade, "BASE", server.url + "/comtrade")
    return server


def _stored(cache_dir) -> list:
    """The cached responses under ``cache_dir``."""
    with http.cached_session(cache_dir) as session:
        return [session.cache.responses[key] for key in session.cache.responses.keys()]


def _load_comtrade(tmp_path, **kwargs):
    return load_remote("comtrade", reporters=["CHN"], partners=["IND"], years=[2022], flows=None, cache_dir=tmp_path,
                       **kwargs)


# --- parsers ---------------------------------------------------------------------------------------

def test_imf_request_and_parse():
    (url, headers), = imf.build_requests(reporters=["CHN"], partners=["RUS"], flows=None)
    assert url.endswith("/IMTS/+/CHN.XG_FOB_USD+MG_CIF_USD.RUS.A")
    assert headers["Accept"].startswith("application/vnd.sdmx.data+csv")
    parsed = imf.parse((FIXTURES / "trade" / "imf_imts_chn_rus_2024.csv").read_text())
    assert parsed[["partner_iso3", "flow", "year", "value_usd"]].values.tolist() == [
        ["RUS", "export", 2024, 115490000000], ["RUS", "import", 2024, 129320000000]]


def test_comtrade_request_and_parse():
    (url, _), = comtrade.build_requests(reporters=["CHN"], partners=["IND", "WLD"], years=[2022], flows=None)
    assert "reporterCode=156" in url and "partnerCode=699,0" in url and "flowCode=X,M" in url
    parsed = comtrade.parse(COMTRADE_BODY.decode())
    assert list(parsed.columns) == list(TRADE_COLUMNS)
    assert parsed[["reporter_iso3", "partner_iso3", "flow", "value_usd"]].values.tolist() == [
        ["CHN", "IND", "export", 118500000000], ["CHN", "IND", "import", 17480000000]]


def test_comtrade_parse_rejects_an_api_error_and_a_missing_data_field():
    with pytest.raises(ValueError, match="no 'data' field"):
        comtrade.parse('{"elapsedTime": "0.1 secs", "count": 0}')
    with pytest.raises(ValueError, match="API error: quota exceeded"):
        comtrade.parse('{"count": 0, "data": [], "error": "quota exceeded"}')


def test_remote_sources_are_cited():
    known = set(sco.load_sources()["source_id"])
    assert {imf.SOURCE_ID, comtrade.SOURCE_ID} <= known


# --- HTTP: retries, cache, errors -----------------------------------------------------------------

def test_retries_after_429_and_500_then_caches(comtrade_at, sleeps, tmp_path):
    comtrade_at.answer((429, {"Retry-After": "2"}, b"slow down"), (500, {}, b"oops"), (200, JSON, COMTRADE_BODY))
    frame = _load_comtrade(tmp_path, timeout=5)
    assert len(comtrade_at.requests) == 3
    assert sleeps == [2, 2.0]  # Retry-After honoured, then the backoff 1 * 2**1
    assert frame["value_usd"].tolist() == [118500000000, 17480000000]
    stored, = _stored(tmp_path)
    assert stored.status_code == 200 and stored.expires is not None
    # A cache hit makes no request at all.
    again = _load_comtrade(tmp_path)
    assert len(comtrade_at.requests) == 3 and again.equals(frame)


def test_gives_up_with_a_clear_error_and_caches_nothing(comtrade_at, sleeps, tmp_path):
    comtrade_at.answer(*[(503, {}, b"down")] * 3)
    with pytest.raises(RemoteSourceError, match=r"/comtrade\?reporterCode=156.* answered HTTP 503 after 3 attempt\(s\)\. "
                                                r"Use source='bundled'"):
        _load_comtrade(tmp_path, retries=2)
    assert len(comtrade_at.requests) == 3 and not comtrade_at.answers
    assert _stored(tmp_path) == []


def test_retry_after_is_capped(comtrade_at, sleeps, tmp_path):
    day = {"Retry-After": "86400"}
    comtrade_at.answer((503, day, b"maintenance"), (503, day, b"maintenance"), (200, JSON, COMTRADE_BODY))
    started = time.monotonic()
    frame = _load_comtrade(tmp_path, retries=3)
    assert len(frame) == 2
    assert sleeps == [http.RETRY_AFTER_MAX] * 2 and sum(sleeps) <= 3 * http.RETRY_AFTER_MAX < 86400
    assert time.monotonic() - started < 5


def test_a_truncated_cache_entry_is_not_used(comtrade_at, tmp_path):
    comtrade_at.answer((200, JSON, COMTRADE_BODY), (200, JSON, COMTRADE_BODY))
    first = _load_comtrade(tmp_path)
    # Damage the stored body: cut it inside the import value 17480000000.
    with http.cached_session(tmp_path) as session:
        key, = session.cache.responses.keys()
        stored = session.cache.responses[key]
        stored._content = COMTRADE_BODY[:COMTRADE_BODY.rindex(b"17480000000") + 4]
        session.cache.responses[key] = stored
        assert session.cache.responses[key].content.endswith(b"1748")
    again = _load_comtrade(tmp_path)
    assert len(comtrade_at.requests) == 2  # the damaged entry was dropped and fetched again
    assert again.equals(first) and again["value_usd"].tolist() == [118500000000, 17480000000]
    stored, = _stored(tmp_path)
    assert stored.content == COMTRADE_BODY


def test_a_damaged_cache_record_is_fetched_again(comtrade_at, tmp_path):
    comtrade_at.answer((200, JSON, COMTRADE_BODY), (200, JSON, COMTRADE_BODY))
    first = _load_comtrade(tmp_path)
    with sqlite3.connect(http.cache_path(tmp_path)) as db:
        assert db.execute("UPDATE responses SET value = substr(value, 1, 200)").rowcount == 1
    assert _load_comtrade(tmp_path).equals(first)
    assert len(comtrade_at.requests) == 2


def test_a_captive_portal_page_is_not_cached(comtrade_at, tmp_path):
    portal = (200, {"Content-Type": "text/html"}, b"<html><body>Please log in to the Wi-Fi</body></html>")
    comtrade_at.answer(portal)
    with pytest.raises(RemoteSourceError, match=r"http://127\.0\.0\.1:\d+/comtrade\?reporterCode=156.* answered HTTP 200 "
                                                r"with something that is not data \(text/html; .*nothing was cached"):
        _load_comtrade(tmp_path)
    assert _stored(tmp_path) == []
    comtrade_at.answer((200, JSON, COMTRADE_BODY))
    assert len(_load_comtrade(tmp_path)) == 2 and len(comtrade_at.requests) == 2


def test_a_malformed_body_is_reported_and_not_cached(comtrade_at, tmp_path):
    comtrade_at.answer((200, JSON, b'{"elapsedTime": "0.1 secs", "count": 0}'))
    with pytest.raises(RemoteSourceError, match=r"not data \(application/json; ValueError: no 'data' field"):
        _load_comtrade(tmp_path)
    assert _stored(tmp_path) == []


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_offline_fails_within_5_seconds_naming_the_url(monkeypatch, tmp_path):
    monkeypatch.setattr(comtrade, "BASE", f"http://127.0.0.1:{_closed_port()}/comtrade")
    started = time.monotonic()
    with pytest.raises(RemoteSourceError, match=r"could not reach http://127\.0\.0\.1:\d+/comtrade\?reporterCode=156.*"
                                                r"ConnectionError.*Use source='bundled'"):
        _load_comtrade(tmp_path)  # the default retries
    assert time.monotonic() - started < 5


def test_a_silent_server_times_out_once(monkeypatch, tmp_path):
    with socket.socket() as listener:  # accepts connections (the kernel does) but never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        monkeypatch.setattr(comtrade, "BASE", f"http://127.0.0.1:{listener.getsockname()[1]}/comtrade")
        started = time.monotonic()
        with pytest.raises(RemoteSourceError, match=r"could not reach http://127\.0\.0\.1:\d+/comtrade.*ReadTimeout"):
            _load_comtrade(tmp_path, timeout=0.5)
        assert time.monotonic() - started < 2  # one attempt: a read that timed out is not retried


def test_the_accept_header_is_part_of_the_cache_key(server, tmp_path):
    server.answer((200, JSON, b"[1]"), (200, JSON, b"[2]"))
    url = server.url + "/data"

    def get(accept):
        return fetch(url, json.loads, headers={"Accept": accept}, cache_dir=tmp_path)

    assert get("application/json") == [1]
    assert get("application/vnd.sdmx.data+json;version=2.0.0") == [2]
    assert get("application/json") == [1] and len(server.requests) == 2


def test_requests_name_the_project_without_a_placeholder(comtrade_at, tmp_path):
    comtrade_at.answer((200, JSON, COMTRADE_BODY))
    _load_comtrade(tmp_path)
    (_, headers), = comtrade_at.requests
    assert headers["User-Agent"] == http.USER_AGENT == f"sco-research/{sco.__version__} (research notebooks on the SCO)"


def test_load_trade_still_reaches_the_online_loaders(comtrade_at, tmp_path):
    from sco_research.trade import load_trade, remote

    assert remote.load_remote is load_remote and remote.RemoteSourceError is RemoteSourceError
    comtrade_at.answer((200, JSON, COMTRADE_BODY))
    frame = load_trade("comtrade", reporters=["CHN"], partners=["IND"], years=[2022], flows=["import"],
                       cache_dir=tmp_path)
    assert frame[["flow", "value_usd"]].values.tolist() == [["import", 17480000000]]


@pytest.mark.parametrize("kwargs, message", [
    ({"source": "wto"}, r"invalid source='wto': expected one of 'imf', 'comtrade'"),
    ({"reporters": []}, r"invalid reporters=\[\]: expected at least one ISO3 code"),
    ({"years": None}, r"invalid years=None: expected explicit years"),
])
def test_load_remote_rejects_bad_parameters(kwargs, message, tmp_path):
    call = {"source": "comtrade", "reporters": ["CHN"], "partners": None, "years": [2022], "flows": None,
            "cache_dir": tmp_path, **kwargs}
    with pytest.raises(ParameterError, match=message):
        load_remote(call.pop("source"), **call)
