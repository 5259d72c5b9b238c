"""The site under load: gunicorn in production settings, driven by wrk, on loopback only.

    .venv/bin/python bench/run.py [--releases 100000] [--duration 8] [--workers 2] [--connections 8]
    make bench

1. Fills (or reuses) the ``newsroom_bench`` database of the embedded server with
   ``generate_bench_data`` (nothing else is touched).
2. Collects the static files and starts gunicorn on 127.0.0.1 with ``DEBUG=0``, a generated
   ``SECRET_KEY``, ``ALLOWED_HOSTS=127.0.0.1``, persistent database connections and ``BENCH=1``
   (which adds ``/bench/baseline/``: a pre-rendered page of the size of a release page, through the
   same middleware).
3. Runs wrk for ``--duration`` seconds on each page, twice: with the page cache off (every request
   renders) and on (a shared file cache, warmed by one request). The baseline is measured in both.
4. Prints requests per second, latency p50/p99 and the ratio to the baseline of the same run, and
   writes them as JSON (``--json``) for docs/performance.md.

All traffic goes to 127.0.0.1 and every wrk run is bounded in time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
#: gunicorn from the same virtualenv as the Python running this script (a git worktree has none of its own).
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
DATABASE = "newsroom_bench"


def database_url() -> str:
    os.environ["NEWSROOM_DATABASE"] = DATABASE
    sys.path.insert(0, str(ROOT))
    from newsroom.embedded_db import embedded_database_url

    return embedded_database_url()


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True
    )
    return result.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


COUNT_SCRIPT = "import django; django.setup(); from releases.models import Release; print(Release.objects.count())"
URLS_SCRIPT = """
import django, json
django.setup()
from django.db.models import Count
from releases.filters import encode_cursor
from releases.models import Release
from people.models import Person, Organisation
public = Release.objects.public().order_by("-publish_at", "-id")
with_photos = public.filter(gallery__isnull=False).annotate(n=Count("gallery__items")).filter(n__gte=20)
release = with_photos.first() or public.first()
mentions = Release.appointments.through.objects.values("appointment__person").annotate(n=Count("id")).order_by("-n")
person = Person.objects.get(pk=mentions[0]["appointment__person"])
organisation = Organisation.objects.filter(slug__startswith="bench-").order_by("slug").first()
deep = public[public.count() - 40]
print(json.dumps({
    "release page": release.get_absolute_url(),
    "home": "/fr/",
    "list": "/fr/communiques/",
    "deep list page": "/fr/communiques/?before=" + encode_cursor(deep),
    "filtered list": "/fr/communiques/?organisation=" + organisation.slug + "&kind=communique",
    "search": "/fr/recherche/?q=coop%C3%A9ration+europ%C3%A9enne",
    "person page": "/fr/personnes/" + person.slug + "/",
    "feed": "/fr/communiques/flux/rss/",
}))
"""


def wrk(url: str, duration: int, connections: int, threads: int) -> dict:
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "--latency", url],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
        timeout=duration + 30,
    ).stdout

    def latency(label: str) -> float:
        match = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {
        "rps": rps,
        "p50_ms": latency("50%"),
        "p99_ms": latency("99%"),
        "errors": int(non2xx.group(1)) if non2xx else 0,
    }


def start_server(env: dict, port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            GUNICORN,
            "newsroom.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/baseline/", timeout=2).read()
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not answer")


def versions() -> dict:
    import django

    def command(*args):
        try:
            return subprocess.run(args, stdout=subprocess.PIPE, text=True, check=False).stdout.strip().splitlines()[0]
        except (OSError, IndexError):
            return "?"

    return {
        "machine": f"{os.cpu_count()} CPUs, {platform.machine()}, {platform.processor() or platform.platform()}",
        "cpu": next(
            (line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?"
        ),
        "load": os.getloadavg(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": command(GUNICORN, "--version"),
        "wrk": command("wrk", "--version") or "wrk",
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--releases", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=8, help="seconds of wrk per page")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--only", help="comma-separated page names")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is needed: apt-get install wrk", file=sys.stderr)
        return 2

    url = database_url()
    base_env = {
        **os.environ,
        "NEWSROOM_DATABASE": DATABASE,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
    }
    manage(base_env, "migrate", "-v0")
    count = int(
        subprocess.run(
            [
                PYTHON,
                "-c",
                "import django; django.setup(); from releases.models import Release; print(Release.objects.count())",
            ],
            cwd=ROOT,
            env=base_env,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        ).stdout
    )
    if count < args.releases:
        print(f"generating {args.releases - count} releases into {DATABASE}", file=sys.stderr)
        subprocess.run(
            [
                PYTHON,
                "manage.py",
                "generate_bench_data",
                "--releases",
                str(args.releases - count),
                "--seed",
                str(count + 1),
            ],
            cwd=ROOT,
            env=base_env,
            check=True,
        )
    urls = json.loads(
        subprocess.run(
            [PYTHON, "-c", URLS_SCRIPT], cwd=ROOT, env=base_env, check=True, stdout=subprocess.PIPE, text=True
        ).stdout
    )
    if args.only:
        urls = {name: value for name, value in urls.items() if name in args.only.split(",")}

    work = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    production = {
        **base_env,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "CONN_MAX_AGE": "600",
        "BENCH": "1",
        "STATIC_ROOT": str(work / "static"),
        "LOG_LEVEL": "WARNING",
    }
    manage(production, "collectstatic", "--noinput", "-v0")

    results: dict = {"versions": versions(), "settings": vars(args) | {"json": str(args.json)}, "runs": {}}
    try:
        for mode in ("cold", "cached"):
            env = {
                **production,
                "PAGE_CACHE": "0" if mode == "cold" else "1",
                "CACHE_URL": f"file://{work / 'cache'}",
            }
            port = free_port()
            server = start_server(env, port, args.workers)
            try:
                base = f"http://127.0.0.1:{port}"
                release_size = len(urllib.request.urlopen(base + urls.get("release page", "/fr/"), timeout=30).read())
                run: dict = {}
                cases = {"baseline": f"/bench/baseline/?bytes={release_size}", **urls}
                for name, path in cases.items():
                    urllib.request.urlopen(base + path, timeout=60).read()  # warm (and fill the cache)
                    run[name] = wrk(base + path, args.duration, args.connections, args.threads)
                    run[name]["path"] = path
                    ratio = run[name]["rps"] / run["baseline"]["rps"]
                    run[name]["ratio"] = ratio
                    print(
                        f"{mode:6} {name:16} {run[name]['rps']:8.0f} req/s  p50 {run[name]['p50_ms']:7.2f} ms"
                        f"  p99 {run[name]['p99_ms']:7.2f} ms  {ratio:6.0%} of baseline"
                        + (f"  {run[name]['errors']} non-2xx" if run[name]["errors"] else ""),
                        flush=True,
                    )
                run["release page bytes"] = release_size
                results["runs"][mode] = run
            finally:
                server.terminate()
                server.wait(timeout=30)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
