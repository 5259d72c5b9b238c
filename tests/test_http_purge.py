"""The HTTP purge (newsroom/http_purge.py) against real HTTP servers on loopback standing in for
Varnish and a CDN's API: what it sends, how it batches, and that a failure never reaches the save.
(tests/scale/test_varnish.py runs it against a real varnishd.)"""

from __future__ import annotations

import json
import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from core.signals import cache_tags_purged
from newsroom import http_purge
from tests.scale.cluster import free_port


class Recorder(ThreadingHTTPServer):
    """An HTTP server that records each request and answers the statuses queued in ``answers``
    (200 once they run out)."""

    daemon_threads = True

    def __init__(self):
        self.seen: list[dict] = []
        self.answers: list[int] = []
        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    def handle_one(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.seen.append(
            {"method": self.command, "path": self.path, "headers": dict(self.headers.items()), "body": body}
        )
        status = self.server.answers.pop(0) if self.server.answers else 200
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_BAN = do_POST = handle_one

    def log_message(self, *args):
        pass


@pytest.fixture(autouse=True)
def purge_once(settings):
    """One purge at a time: the repeated purge is tested on its own."""
    settings.HTTP_PURGE_REPEAT_SECONDS = 0


@pytest.fixture
def servers():
    started = [Recorder(), Recorder()]
    threads = [threading.Thread(target=server.serve_forever, daemon=True) for server in started]
    for thread in threads:
        thread.start()
    yield started
    for server in started:
        server.shutdown()
        server.server_close()


@pytest.fixture
def varnishes(settings, servers):
    settings.VARNISH_URLS = [server.url for server in servers]
    settings.CDN_PURGE_URL = ""
    return servers


def test_tags_are_banned_in_every_varnish(varnishes):
    http_purge.purge(tags=frozenset({"release:12", "list:releases"}), everything=False)
    for server in varnishes:
        assert [(seen["method"], seen["headers"].get("X-Purge-Tags")) for seen in server.seen] == [
            ("BAN", "list:releases release:12")
        ]


def test_varnish_gets_each_ban_again_once_pages_in_flight_are_over_and_the_cdn_one_call(settings, servers):
    varnish, cdn = servers
    settings.VARNISH_URLS = [varnish.url]
    settings.CDN_PURGE_URL = cdn.url + "/purge"
    settings.HTTP_PURGE_REPEAT_SECONDS = 0.3
    started = time.monotonic()
    http_purge.purge(tags=frozenset({"release:7"}), everything=False)
    assert [seen["headers"]["X-Purge-Tags"] for seen in varnish.seen] == ["release:7"]
    deadline = time.monotonic() + 5
    while len(varnish.seen) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert time.monotonic() - started >= 0.3
    assert [seen["headers"]["X-Purge-Tags"] for seen in varnish.seen] == ["release:7", "release:7"]
    time.sleep(0.1)
    assert [json.loads(seen["body"]) for seen in cdn.seen] == [{"tags": ["release:7"]}]


def test_everything_is_one_ban_per_varnish(varnishes):
    http_purge.purge(tags=frozenset(), everything=True)
    for server in varnishes:
        assert [(seen["method"], seen["headers"].get("X-Purge-All")) for seen in server.seen] == [("BAN", "1")]


def test_nothing_to_purge_sends_nothing(varnishes):
    http_purge.purge(tags=frozenset(), everything=False)
    assert all(server.seen == [] for server in varnishes)


def test_many_tags_go_in_batches_that_keep_the_header_short(varnishes):
    tags = {f"release:{number}" for number in range(2000)}  # about 24,000 characters
    http_purge.purge(tags=frozenset(tags), everything=False)
    headers = [seen["headers"]["X-Purge-Tags"] for seen in varnishes[0].seen]
    assert len(headers) > 1
    assert all(len(header) <= http_purge.VARNISH_HEADER_CHARS for header in headers)
    sent = [tag for header in headers for tag in header.split(" ")]
    assert sorted(sent) == sorted(tags), "each tag once, whole"


def test_a_tag_the_vcl_would_refuse_purges_everything(varnishes, caplog):
    with caplog.at_level(logging.WARNING, logger="newsroom.http_purge"):
        http_purge.purge(tags=frozenset({"release:1", "tag:a b"}), everything=False)
    assert [seen["headers"].get("X-Purge-All") for seen in varnishes[0].seen] == ["1"]
    assert "purging everything" in caplog.text


def test_the_cdn_gets_json_batches_with_a_bearer_token(settings, servers):
    cdn = servers[0]
    settings.VARNISH_URLS = []
    settings.CDN_PURGE_URL = cdn.url + "/client/v4/zones/zone-id/purge_cache"
    settings.CDN_PURGE_TOKEN = "cdn-token"
    settings.CDN_PURGE_BATCH = 30
    tags = sorted(f"person:{number}" for number in range(70))
    http_purge.purge(tags=frozenset(tags), everything=False)
    assert [seen["method"] for seen in cdn.seen] == ["POST"] * 3
    bodies = [json.loads(seen["body"]) for seen in cdn.seen]
    assert [len(body["tags"]) for body in bodies] == [30, 30, 10]
    assert sorted(tag for body in bodies for tag in body["tags"]) == tags
    for seen in cdn.seen:
        assert seen["path"] == "/client/v4/zones/zone-id/purge_cache"
        assert seen["headers"]["Authorization"] == "Bearer cdn-token"
        assert seen["headers"]["Content-Type"] == "application/json"

    cdn.seen.clear()
    http_purge.purge(tags=frozenset({"release:1"}), everything=True)
    assert [json.loads(seen["body"]) for seen in cdn.seen] == [{"purge_everything": True}]


def test_a_failed_purge_is_tried_once_more(varnishes, caplog):
    varnishes[0].answers = [503]
    with caplog.at_level(logging.ERROR, logger="newsroom.http_purge"):
        http_purge.purge(tags=frozenset({"release:3"}), everything=False)
    assert [seen["headers"]["X-Purge-Tags"] for seen in varnishes[0].seen] == ["release:3", "release:3"]
    assert [seen["headers"]["X-Purge-Tags"] for seen in varnishes[1].seen] == ["release:3"]
    assert caplog.text == ""


def test_a_purge_that_fails_twice_is_logged_and_never_raised(settings, varnishes, caplog):
    varnishes[0].answers = [500, 500]
    closed = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    settings.VARNISH_URLS = [varnishes[0].url, closed, varnishes[1].url]
    settings.CDN_PURGE_URL = closed + "/purge"
    settings.CDN_PURGE_TOKEN = "secret-token"
    started = time.monotonic()
    with caplog.at_level(logging.ERROR, logger="newsroom.http_purge"):
        http_purge.purge(tags=frozenset({"release:4"}), everything=False)
    assert time.monotonic() - started < 5
    failures = [record.getMessage() for record in caplog.records]
    assert len(failures) == 3, failures  # the first Varnish, the closed one, the CDN
    assert "500" in failures[0] and closed in failures[1]
    assert "secret-token" not in caplog.text
    assert len(varnishes[1].seen) == 1, "the Varnish after a failing one is still purged"


def test_the_signal_reaches_varnish(varnishes):
    """NewsroomConfig.ready() connects the purge to the kernel's signal."""
    cache_tags_purged.send(sender=None, tags=frozenset({"gallery:5"}), everything=False)
    assert [seen["headers"].get("X-Purge-Tags") for seen in varnishes[0].seen] == ["gallery:5"]


def test_without_varnish_or_cdn_nothing_is_sent(settings, servers):
    settings.VARNISH_URLS = []
    settings.CDN_PURGE_URL = ""
    cache_tags_purged.send(sender=None, tags=frozenset({"gallery:5"}), everything=True)
    assert all(server.seen == [] for server in servers)
