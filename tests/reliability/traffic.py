"""Traffic for the reliability tests: wrk for the public side, scripted editors for the admin.

Editors are plain HTTP clients (no browser): they sign in through the admin's login form, open a change
form, read it as a browser would submit it (``tests/publication/formdata.py``), change a field and post
it with its CSRF token. The site runs in production settings behind an imagined TLS proxy: requests
carry ``X-Forwarded-Proto: https`` and an ``Origin``, and the editor sends its cookies back even
though they are marked ``Secure``.
"""

from __future__ import annotations

import http.client
import json
import re
import shutil
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from tests.publication.formdata import form_data

PASSWORD = "correct horse battery staple"


@dataclass
class Answer:
    status: int
    headers: dict
    body: str
    seconds: float


class EditorSession:
    """One editor's browser, as far as the server can tell."""

    def __init__(self, base_url: str, timeout: float = 30.0):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.origin = f"https://{self.host}:{self.port}"
        self.cookies: dict[str, str] = {}
        self.timeout = timeout

    def request(self, method: str, path: str, fields: dict | None = None) -> Answer:
        headers = {"X-Forwarded-Proto": "https", "Host": f"{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + path
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        started = time.monotonic()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return Answer(response.status, dict(response.headers), content, time.monotonic() - started)

    def sign_in(self, username: str, password: str = PASSWORD) -> None:
        page = self.request("GET", "/admin/login/?next=/admin/")
        fields = form_data(page.body, form_id="login-form")
        fields.update({"username": username, "password": password, "next": "/admin/"})
        answer = self.request("POST", "/admin/login/?next=/admin/", fields)
        if answer.status != 302 or "sessionid" not in self.cookies:
            raise AssertionError(f"{username} could not sign in: {answer.status} {answer.body[:500]}")

    def open_form(self, path: str, form_id: str = "release_form") -> tuple[Answer, dict]:
        page = self.request("GET", path)
        return page, form_data(page.body, form_id=form_id) if page.status == 200 else {}


def form_errors(html: str) -> str:
    """The error messages of an admin form that was sent back, for a readable failure."""
    return " | ".join(re.findall(r'<ul class="(?:errorlist|messagelist)[^"]*">(.*?)</ul>', html, re.S))[:1000]


WRK_SCRIPT = """
local paths = {%(paths)s}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  sent = 0
  server_errors = 0
  other_statuses = 0
end

function request()
  sent = sent + 1
  return wrk.format("GET", paths[(sent %% #paths) + 1])
end

function response(status, headers, body)
  if status >= 500 then
    server_errors = server_errors + 1
  elseif status ~= 200 then
    other_statuses = other_statuses + 1
  end
end

function done(summary, latency, requests)
  local server, other = 0, 0
  for _, thread in ipairs(threads) do
    server = server + thread:get("server_errors")
    other = other + thread:get("other_statuses")
  end
  io.write(string.format(
    'WRK-RESULT {"requests": %%d, "seconds": %%.3f, "server_errors": %%d, "other_statuses": %%d, '
    .. '"connect_errors": %%d, "read_errors": %%d, "write_errors": %%d, "timeouts": %%d, '
    .. '"p50_ms": %%.2f, "p90_ms": %%.2f, "p99_ms": %%.2f, "max_ms": %%.2f}\\n',
    summary.requests, summary.duration / 1e6, server, other,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000))
end
"""


def wrk_available() -> str:
    found = shutil.which("wrk")
    if not found:
        raise AssertionError("wrk is needed for the load test: apt-get install wrk (make test installs it as root)")
    return found


def run_wrk(base_url: str, paths: list[str], *, seconds: int, connections: int, threads: int, work: Path) -> dict:
    """Drive ``paths`` in turn for ``seconds``; return counts and latency percentiles of every request."""
    script = work / "mixed.lua"
    script.write_text(WRK_SCRIPT % {"paths": ", ".join(json.dumps(path) for path in paths)})
    out = subprocess.run(
        [
            wrk_available(),
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            base_url,
        ],
        check=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=seconds + 60,
    ).stdout
    match = re.search(r"^WRK-RESULT (\{.*\})$", out, re.M)
    assert match, out
    result = json.loads(match.group(1))
    result["requests_per_second"] = result["requests"] / result["seconds"]
    return result


@dataclass
class Timings:
    seconds: list[float] = field(default_factory=list)

    def add(self, seconds: float) -> None:
        self.seconds.append(seconds)

    def percentile(self, p: float) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000

    def summary(self) -> str:
        if not self.seconds:
            return "none"
        return (
            f"{len(self.seconds)} requests, p50 {self.percentile(50):.0f} ms, p99 {self.percentile(99):.0f} ms, "
            f"mean {statistics.mean(self.seconds) * 1000:.0f} ms"
        )


@dataclass
class Sample:
    path: str
    started: float
    finished: float
    status: int | None  # None: no HTTP answer (connection refused, reset, timed out)
    error: str = ""
    retry_after: str | None = None
    body: str = ""

    @property
    def failed(self) -> bool:
        return self.status is None or self.status >= 500


class RecordingReader(threading.Thread):
    """A reader that requests ``paths`` in turn until told to stop, and keeps the time and outcome of
    each request: a small load generator for when the moment of each error matters (wrk only counts)."""

    def __init__(self, base_url: str, paths: list[str], offset: int = 0, timeout: float = 15.0):
        super().__init__(daemon=True)
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.paths, self.offset, self.timeout = paths, offset, timeout
        self.samples: list[Sample] = []
        self.stopping = threading.Event()

    def fetch(self, path: str) -> Sample:
        started = time.monotonic()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read()
            error_page = body.decode("utf-8", "replace") if response.status >= 500 else ""
            return Sample(
                path, started, time.monotonic(), response.status, "", response.getheader("Retry-After"), error_page
            )
        except (OSError, http.client.HTTPException) as error:
            return Sample(path, started, time.monotonic(), None, f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    def run(self) -> None:
        number = self.offset
        while not self.stopping.is_set():
            sample = self.fetch(self.paths[number % len(self.paths)])
            self.samples.append(sample)
            number += 1
            if sample.status is None:
                time.sleep(0.02)  # no server at all: do not spin


@dataclass
class EditAttempt:
    release_id: int
    action: str  # "save" (the admin's "Enregistrer et continuer") or "publish" ("Publier")
    marker: str  # written into the lead: unique to this attempt
    status: int | None  # 302: saved; anything else: refused or failed (see ``detail``)
    started: float
    finished: float
    detail: str = ""


class Editor(threading.Thread):
    """A scripted editor working through drafts until ``deadline`` (or :meth:`stop`): on each release,
    save a change, then publish it, each with a marker of its own in the lead."""

    def __init__(self, base_url: str, username: str, release_ids: list[int], deadline: float):
        super().__init__(name=f"editor-{username}", daemon=True)
        self.session = EditorSession(base_url)
        self.username, self.release_ids, self.deadline = username, release_ids, deadline
        self.attempts: list[EditAttempt] = []
        self.timings = Timings()
        self.stopping = threading.Event()

    def stop(self) -> None:
        self.stopping.set()

    @property
    def saved(self) -> list[EditAttempt]:
        return [attempt for attempt in self.attempts if attempt.status == 302]

    @property
    def failed(self) -> list[EditAttempt]:
        return [attempt for attempt in self.attempts if attempt.status != 302]

    def edit(self, release_id: int, action: str) -> EditAttempt:
        marker = f"{action}-{self.username}-{release_id}"
        path = f"/admin/releases/release/{release_id}/change/"
        started = time.monotonic()
        try:
            page, fields = self.session.open_form(path)
            self.timings.add(page.seconds)
            if page.status != 200:
                return EditAttempt(release_id, action, marker, page.status, started, time.monotonic(), f"GET {path}")
            fields["lead_fr"] = marker
            fields["_publish" if action == "publish" else "_continue"] = "1"
            answer = self.session.request("POST", path, fields)
            self.timings.add(answer.seconds)
            detail = "" if answer.status == 302 else f"POST {path}: {form_errors(answer.body)}"
            return EditAttempt(release_id, action, marker, answer.status, started, time.monotonic(), detail)
        except (OSError, http.client.HTTPException) as error:
            return EditAttempt(release_id, action, marker, None, started, time.monotonic(), repr(error))

    def run(self) -> None:
        for release_id in self.release_ids:
            for action in ("save", "publish"):
                if self.stopping.is_set() or time.monotonic() >= self.deadline:
                    return
                attempt = self.edit(release_id, action)
                self.attempts.append(attempt)
                if attempt.status != 302:
                    time.sleep(0.2)  # the site is in trouble: wait a little, as a person would
