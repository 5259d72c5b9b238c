"""The embedded PostgreSQL: started on demand, shared by processes, stopped cleanly, recovered after a kill."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parent.parent
HOLD = (
    "import sys, time; from newsroom.embedded_db import embedded_database_url; "
    "print(embedded_database_url(), flush=True); time.sleep(float(sys.argv[1]))"
)


@pytest.fixture
def var_dir():
    """A fresh folder for a throw-away server, inside the project's var/ (pytest's own temporary folders are
    private to root, and the server runs as another user when started by root)."""
    path = ROOT / "var" / "test-servers" / uuid.uuid4().hex[:12]
    yield path
    pid = server_pid(path)
    if pid:
        psutil.Process(pid).terminate()
        wait_until(lambda: server_pid(path) is None)
    shutil.rmtree(path, ignore_errors=True)


def start_holder(var_dir: Path, seconds: float = 60) -> subprocess.Popen:
    env = {**os.environ, "NEWSROOM_VAR_DIR": str(var_dir)}
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(seconds)], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    url = process.stdout.readline()
    assert url.startswith("postgresql://"), "the holder should print the database URL"
    return process


def server_pid(var_dir: Path) -> int | None:
    pid_file = var_dir / "pgdata" / "postmaster.pid"
    if not pid_file.exists():
        return None
    pid = int(pid_file.read_text().splitlines()[0])
    return pid if psutil.pid_exists(pid) else None


def wait_until(condition, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def test_sigterm_stops_the_server_when_the_last_process_leaves(var_dir):
    holder = start_holder(var_dir)
    assert server_pid(var_dir) is not None
    holder.send_signal(signal.SIGTERM)
    holder.wait(timeout=30)
    assert wait_until(lambda: server_pid(var_dir) is None), "the server should stop with its last process"


def test_a_second_process_attaches_to_the_same_server(var_dir):
    first = start_holder(var_dir)
    pid = server_pid(var_dir)
    second = start_holder(var_dir, seconds=0.1)
    second.wait(timeout=30)
    assert server_pid(var_dir) == pid, "the second process must not start or stop another server"
    first.send_signal(signal.SIGTERM)
    first.wait(timeout=30)
    assert wait_until(lambda: server_pid(var_dir) is None)


def test_a_killed_run_is_recovered_on_the_next_start(var_dir):
    holder = start_holder(var_dir)
    holder.kill()  # SIGKILL: no clean-up at all, its handle stays in the list
    holder.wait(timeout=10)
    handles = json.loads((var_dir / "pgdata" / ".handle_pids.json").read_text())
    assert holder.pid in handles
    following = start_holder(var_dir, seconds=0.1)  # drops the stale handle, then is the last to leave
    following.wait(timeout=30)
    assert wait_until(lambda: server_pid(var_dir) is None), "the stale handle should not keep the server alive"


def test_a_killed_server_is_restarted_on_the_next_start(var_dir):
    holder = start_holder(var_dir)
    postgres = psutil.Process(server_pid(var_dir))
    holder.kill()
    holder.wait(timeout=10)
    postgres.kill()  # a stale postmaster.pid is left behind
    postgres.wait(timeout=10)
    again = start_holder(var_dir)
    assert server_pid(var_dir) is not None
    again.send_signal(signal.SIGTERM)
    again.wait(timeout=30)
    assert wait_until(lambda: server_pid(var_dir) is None)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_stops_web_server_worker_and_database_on_sigterm(var_dir):
    """`make run` runs `manage.py serve`: SIGTERM (or Ctrl-C) stops the site, the worker and PostgreSQL."""
    import urllib.request

    port = free_port()
    env = {**os.environ, "NEWSROOM_VAR_DIR": str(var_dir), "ADMIN_PASSWORD": "a long test password 123"}
    serve = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--no-demo", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def answers():
        try:
            return urllib.request.urlopen(f"http://127.0.0.1:{port}/fr/", timeout=2).status == 200
        except OSError:
            return False

    try:
        assert wait_until(answers, timeout=90), "the site should answer on its port"
        children = psutil.Process(serve.pid).children(recursive=True)
        assert any("manage.py worker" in " ".join(child.cmdline()) for child in children), "the worker should run"
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=60)
    assert wait_until(lambda: not any(child.is_running() for child in children))
    assert wait_until(lambda: server_pid(var_dir) is None), "PostgreSQL should stop with the site"
