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
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import yaml

import sco_research as sco
from sco_research.data.remote import comtrade, fetch, http, imf, load_remote
from sco_research.data.vocab import TRADE_COLUMNS
from sco_research.errors import ParameterError, RemoteSourceError

FIXTURES = Path(__file__).parent / "fixtures"
COMTRADE_BODY = (FIXTURES / "trade" / "comtrade_chn_ind_2022.json").read_bytes()
IMF_BODY = (FIXTURES / "trade" / "imf_imts_chn_rus_2024.json").read_bytes()
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


@pytest.fixture
def imf_at(server, monkeypatch):
    monkeypatch.setattr(imf, "BASE", server.url + "/imts/")
    return server


def _stored(cache_dir) -> list:
    """The cached responses under ``cache_dir``."""
    with http.cached_session(cache_dir) as session:
        return [session.cache.responses[key] for key in session.cache.responses.keys()]


def _load_comtrade(tmp_path, **kwargs):
    return load_remote("comtrade", reporters=["CHN"], partners=["IND"], years=[2022], flows=None, cache_dir=tmp_path,
                       **kwargs)


# --- parsers ---------------------------------------------------------------------------------------

def _cassette(name: str) -> dict:
    """One recorded api.imf.org interaction (see fixtures/imf_sdmx3/README.md)."""
    interaction, = yaml.safe_load((FIXTURES / "imf_sdmx3" / name).read_text())["http_interactions"]
    return interaction


def test_imf_request_has_the_form_of_the_recorded_calls():
    (url, headers), = imf.build_requests(reporters=["CHN", "KAZ"], partners=["RUS", "WLD"], flows=None)
    assert headers == {"Accept": "application/json"}
    recorded = urlsplit(unquote(_cassette("get_data_cpi.yml")["request"]["uri"]))
    ours = urlsplit(unquote(url))
    assert recorded.path.endswith("/data/dataflow/IMF.STA/CPI/+/*")
    assert ours.path.endswith("/data/dataflow/IMF.STA/IMTS/+/*")
    assert parse_qs(ours.query) == {"c[COUNTRY]": ["CHN,KAZ"], "c[INDICATOR]": ["XG_FOB_USD,MG_CIF_USD"],
                                    "c[COUNTERPART_COUNTRY]": ["RUS,G001"], "c[FREQUENCY]": ["A"],
                                    "attributes": ["dsd"], "measures": ["all"]}
    assert {k: v for k, v in parse_qs(recorded.query).items() if not k.startswith("c[")} == {
        "lastNObservations": ["2"], "attributes": ["dsd"], "measures": ["all"]}


def test_recorded_sdmx_json_messages_are_read():
    table = imf.read_sdmx_json(_cassette("sdmx_data_cpi_valid.yml")["response"]["body"]["string"])
    assert table[["COUNTRY", "FREQUENCY", "TIME_PERIOD", "OBS_VALUE"]].values.tolist() == [
        ["USA", "M", "2026-M03", "151.4352997287388"], ["USA", "M", "2026-M04", "152.7225866809138"]]
    # Coded attributes are resolved through their value lists, uncoded ones are given in place, absent ones are None.
    first = table.iloc[0]
    assert first[["SCALE", "OVERLAP", "COMMON_REFERENCE_PERIOD", "IFS_FLAG"]].tolist() == ["0", "OL", "2010A", "true"]
    assert (first["DERIVATION_TYPE"], first["REFERENCE_PERIOD"], first["STATUS"]) == ("O", "2010A", None)
    filtered = imf.read_sdmx_json(_cassette("get_data_cpi.yml")["response"]["body"]["string"])
    assert filtered["TIME_PERIOD"].tolist() == ["2026-M04", "2026-M05"]


def test_imf_parse_refuses_a_message_of_another_dataflow():
    with pytest.raises(ValueError, match="not an IMTS message: no INDICATOR, COUNTERPART_COUNTRY"):
        imf.parse(_cassette("sdmx_data_cpi_valid.yml")["response"]["body"]["string"])


def test_imf_parse():
    parsed = imf.parse(IMF_BODY.decode())
    assert list(parsed.columns) == list(TRADE_COLUMNS)
    # G001 is the world; the observation without a value is dropped; SCALE 6 is not applied.
    assert parsed[["reporter_iso3", "partner_iso3", "flow", "year", "value_usd", "valuation"]].values.tolist() == [
        ["CHN", "RUS", "export", 2024, 115490000000, "FOB"], ["CHN", "RUS", "import", 2024, 129320000000, "CIF"]]
    assert not parsed["is_estimate"].any() and set(parsed["source_id"]) == {"imf_imts_api"}


def _imts_message(edit) -> str:
    message = json.loads(IMF_BODY)
    edit(message["data"])
    return json.dumps(message)


@pytest.mark.parametrize("edit, problem", [
    (lambda d: d["structures"][0]["attributes"]["series"][0].update(values=[{"id": "3"}]), r"SCALE \['3'\]"),
    (lambda d: d["structures"][0]["dimensions"]["observation"][0].update(values=[{"value": "2024-M01"}]),
     r"TIME_PERIOD '2024-M01' is not a year"),
    (lambda d: d["dataSets"][0]["series"]["0:0:0:0"]["observations"].update({"0": ["-5"]}), r"OBS_VALUE '-5'"),
    (lambda d: d["dataSets"][0]["series"].update({"0:7:0:0": {"observations": {"0": ["1"]}}}),
     r"malformed .*IndexError"),
])
def test_imf_parse_refuses_what_it_cannot_read_as_us_dollars(edit, problem):
    with pytest.raises(ValueError, match=problem):
        imf.parse(_imts_message(edit))
    assert len(imf.parse(_imts_message(lambda d: None))) == 2  # the unedited message parses


def test_imf_recorded_empty_answers_give_no_rows(imf_at, tmp_path):
    empty = _cassette("get_data_empty.yml")["response"]
    assert imf.parse(empty["body"]["string"]).empty
    no_content = _cassette("sdmx_no_content.yml")["response"]
    assert no_content["status"] == 204 and no_content["body"]["string"] == ""
    for answer in (no_content, empty):
        imf_at.answer((answer["status"], JSON if answer["status"] == 200 else {}, answer["body"]["string"].encode()))
        frame = load_remote("imf", reporters=["KAZ"], partners=None, years=[2024], flows=None, cache_dir=tmp_path)
        assert frame.empty and list(frame.columns) == list(TRADE_COLUMNS)
    # Nothing to cache in a 204; an empty data message is an answer, and is cached.
    assert [r.status_code for r in _stored(tmp_path)] == [200]


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
    with pytest.raises(RemoteSourceError, match=r"/comtrade\?reporterCode=156.* answered HTTP 503 after "
                                                r"3 attempt\(s\)\. Use source='bundled'"):
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


def test_a_truncated_cache_entry_is_not_used(imf_at, tmp_path):
    imf_at.answer((200, JSON, IMF_BODY), (200, JSON, IMF_BODY))

    def load():
        return load_remote("imf", reporters=["CHN"], partners=["RUS"], years=[2024], flows=None, cache_dir=tmp_path)

    first = load()
    # Damage the stored body: cut it inside the import value, 129320000000 -> 1293.
    with http.cached_session(tmp_path) as session:
        key, = session.cache.responses.keys()
        stored = session.cache.responses[key]
        stored._content = IMF_BODY[:IMF_BODY.index(b"129320000000") + 4]
        session.cache.responses[key] = stored
        assert session.cache.responses[key].content.endswith(b"1293")
    again = load()
    assert len(imf_at.requests) == 2  # the damaged entry was dropped and fetched again
    assert again.equals(first) and again["value_usd"].tolist() == [115490000000, 129320000000]
    stored, = _stored(tmp_path)
    assert stored.content == IMF_BODY


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
    with pytest.raises(RemoteSourceError, match=r"http://127\.0\.0\.1:\d+/comtrade\?reporterCode=156.* answered "
                                                r"HTTP 200 with something that is not data \(text/html; "
                                                r".*nothing was cached"):
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
    from sco_research.data import load_trade, remote

    assert remote.load_remote is load_remote
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


def test_a_session_of_ones_own_is_used_and_cleaned(comtrade_at, tmp_path):
    import requests
    import requests_cache

    comtrade_at.answer((200, JSON, COMTRADE_BODY), (200, JSON, COMTRADE_BODY))
    plain = requests.Session()  # no cache: every load asks the server
    assert _load_comtrade(tmp_path, session=plain).equals(_load_comtrade(tmp_path, session=plain))
    assert len(comtrade_at.requests) == 2 and _stored(tmp_path) == []
    # A cached session without our filter: a body that is not data is still removed from its cache.
    own = requests_cache.CachedSession(backend="memory")
    comtrade_at.answer((200, {"Content-Type": "text/html"}, b"<html>Log in</html>"))
    with pytest.raises(RemoteSourceError, match="not data"):
        _load_comtrade(tmp_path, session=own)
    assert list(own.cache.responses.keys()) == []
