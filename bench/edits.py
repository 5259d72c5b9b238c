"""Hit rate under edits: reading traffic against the page cache while editors correct releases.

    .venv/bin/python bench/edits.py [--releases 20000] [--duration 20] [--editors 2] [--save-every 2]
                                    [--rounds 1] [--json out.json]

1. Fills (or reuses) ``newsroom_bench`` as ``bench/run.py`` does, and gives each of ``--editors``
   ministries an editor account (group "Éditeur", member of that ministry only).
2. Starts Redis on 127.0.0.1 (a file cache in a temporary directory if ``redis-server`` is missing)
   and gunicorn in production settings with the page cache on and ``CACHE_URL`` pointing at that
   shared cache (``bench.run.start_server``).
3. Replays reading traffic with wrk and a Lua script that draws each request's address from a
   weighted mix (:data:`MIX`: home pages, release pages, the list, a filtered list and the page of
   several ministries, the feed, person pages, search) and counts the ``X-Page-Cache`` header of
   every answer (``hit``: served from the page cache, ``miss``: rendered), summed over wrk's threads
   in ``done()``.
4. Each round runs the same traffic twice, the cache emptied and warmed (one request per address)
   before each: once without edits, once while the editors, separate processes with the same
   settings and database, take turns saving a published release of their own ministry, one save
   every ``--save-every`` seconds in all (with two editors, each saves every 4 s by default), the
   way the admin saves a minor correction (the model saved, then
   ``releases.services.release_publish_correction``, in one transaction).
5. Prints, for both runs, read throughput, latency p50/p99, the page cache hit rate and the saves
   made, and the ratio of the throughputs; ``--json`` writes them for docs/performance.md.

All traffic goes to 127.0.0.1, every wrk run is bounded in time, and every process started here
(Redis, gunicorn, the editors, wrk) is stopped at the end, on an error or on Ctrl-C.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import (  # noqa: E402
    PYTHON,
    bench_environment,
    ensure_releases,
    free_port,
    production_environment,
    start_server,
    versions,
    wrk,
)

#: Share of the reading traffic per kind of page. Within a kind the share is split evenly, except
#: release pages, where the newest are read most (weight 1 / (rank + 10)).
MIX = {
    "release page": 0.48,
    "home": 0.15,
    "list": 0.08,
    "organisation page": 0.08,
    "filtered list": 0.06,
    "feed": 0.06,
    "search": 0.05,
    "person page": 0.04,
}

SETUP_SCRIPT = """
import django, json, sys
django.setup()
from django.contrib.auth.models import Group
from django.contrib.auth import get_user_model
from django.db.models import Count
from people.models import Organisation, OrganisationMembership, Person
from releases.models import Release

editors, ministries, release_pages = (int(value) for value in sys.argv[1:4])
public = Release.objects.public().order_by("-publish_at", "-id")
ministry = Organisation.Kind.MINISTRY
organisations = Organisation.objects.filter(slug__startswith="bench-", kind=ministry).order_by("slug")
organisations = list(organisations[:ministries])
group = Group.objects.get(name="Éditeur")
accounts = []
for organisation in organisations[:editors]:
    user, _ = get_user_model().objects.get_or_create(
        username="bench-editor-" + organisation.slug, defaults={"is_staff": True, "email": "editor@bench.invalid"}
    )
    user.groups.add(group)
    OrganisationMembership.objects.get_or_create(user=user, organisation=organisation)
    mine = list(public.filter(organisation_ids__contains=[organisation.pk]).values_list("pk", flat=True)[:5])
    accounts.append({"username": user.username, "organisation": organisation.slug, "releases": mine})
edited = {pk for account in accounts for pk in account["releases"]}
newest = list(public[:release_pages])
releases = newest + [release for release in Release.objects.filter(pk__in=edited) if release not in newest]
mentions = Release.appointments.through.objects.values("appointment__person").annotate(n=Count("id")).order_by("-n")
people = Person.objects.filter(pk__in=[row["appointment__person"] for row in mentions[:3]])
print(json.dumps({
    "editors": accounts,
    "pages": {
        "release page": [release.get_absolute_url() for release in releases],
        "home": ["/fr/", "/de/", "/en/"],
        "list": ["/fr/communiques/"],
        "organisation page": ["/fr/organisations/" + o.slug + "/" for o in organisations],
        "filtered list": ["/fr/communiques/?organisation=" + o.slug for o in organisations],
        "feed": ["/fr/communiques/flux/rss/"],
        "search": [
            "/fr/recherche/?q=coop%C3%A9ration+europ%C3%A9enne",
            "/fr/recherche/?q=budget",
            "/de/recherche/?q=Zusammenarbeit",
        ],
        "person page": ["/fr/personnes/" + person.slug + "/" for person in people],
    },
}))
"""

#: wrk's Lua: one state per thread; ``setup`` keeps each thread so that ``done`` can sum their counters.
LUA = """
local threads = {}
local paths = {%(paths)s}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  hits, misses, unmarked = 0, 0, 0
  math.randomseed(id * 7919 + os.time())
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

function response(status, headers, body)
  local mark = headers["X-Page-Cache"] or headers["x-page-cache"]
  if mark == "hit" then
    hits = hits + 1
  elseif mark == "miss" then
    misses = misses + 1
  else
    unmarked = unmarked + 1
  end
end

function done(summary, latency, requests)
  local h, m, u = 0, 0, 0
  for _, thread in ipairs(threads) do
    h = h + thread:get("hits")
    m = m + thread:get("misses")
    u = u + thread:get("unmarked")
  end
  io.write(string.format('lua: {"hits": %%d, "misses": %%d, "unmarked": %%d}\\n', h, m, u))
end
"""


def weighted_paths(pages: dict[str, list[str]], slots: int = 2000) -> list[str]:
    """The mix as a list of ``slots`` addresses, each repeated in proportion to its weight."""
    weighted: list[tuple[str, float]] = []
    for kind, share in MIX.items():
        paths = pages[kind]
        weights = [1 / (rank + 10) for rank in range(len(paths))] if kind == "release page" else [1] * len(paths)
        total = sum(weights)
        weighted += [(path, share * weight / total) for path, weight in zip(paths, weights, strict=True)]
    total = sum(weight for _path, weight in weighted)
    return [path for path, weight in weighted for _ in range(max(1, round(slots * weight / total)))]


def lua_script(paths: list[str], directory: Path) -> Path:
    script = directory / "mix.lua"
    script.write_text(LUA % {"paths": ", ".join(json.dumps(path) for path in paths)})
    return script


# --- an editor: a separate process, the settings and database of the web server ----------------


def editor(username: str, release_ids: list[int], every: float, offset: float) -> int:
    """Save a release of this editor's ministry every ``every`` seconds (after ``offset``) until
    SIGTERM or SIGINT, as the admin saves a minor correction of a public release; prints the saves."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from releases import services
    from releases.models import Release

    user = get_user_model().objects.get(username=username)
    stop = threading.Event()
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: stop.set())
    print(json.dumps({"ready": username}), flush=True)

    saves, durations, errors = 0, [], []
    cpu, began = os.times(), time.monotonic()
    stop.wait(offset)
    next_at = time.monotonic()
    while not stop.is_set():
        started = time.perf_counter()
        try:
            # ModelAdmin.changeform_view: one transaction; save_model, then the "correct" action.
            with transaction.atomic():
                release = Release.objects.get(pk=release_ids[saves % len(release_ids)])
                stored = Release.objects.get(pk=release.pk)
                before = services.public_addresses(stored) if stored.is_public() else None
                field = f"lead_{release.original_language}"
                lead = re.sub(r" \(rectifié \d+\)$", "", getattr(release, field) or "")
                setattr(release, field, f"{lead} (rectifié {saves + 1})")
                release.save()
                if before is not None:
                    services.remember_moved_addresses(before=before, release=release)
                services.release_publish_correction(
                    release=release, by=user, major=False, internal_note="Coquille corrigée dans le chapeau."
                )
        except Exception as error:  # noqa: BLE001 - reported, the run goes on
            errors.append(repr(error))
        durations.append((time.perf_counter() - started) * 1000)
        saves += 1
        next_at += every
        stop.wait(max(0.0, next_at - time.monotonic()))
    times, active = os.times(), time.monotonic() - began
    print(
        json.dumps(
            {
                "username": username,
                "saves": saves - len(errors),
                "errors": errors[:5],
                "save_p50_ms": round(statistics.median(durations), 1) if durations else None,
                "active_s": round(active, 1),
                "cpu_s": round(times.user + times.system - cpu.user - cpu.system, 2),
            }
        ),
        flush=True,
    )
    return 0


# --- the benchmark -------------------------------------------------------------------------------


def stop_process(process: subprocess.Popen, seconds: float = 15) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def start_redis(work: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    redis = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=open(work / "redis.log", "w"),  # noqa: SIM115 - closed with the process
        stderr=subprocess.STDOUT,
        cwd=work,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return redis, port
        except OSError:
            time.sleep(0.1)
    stop_process(redis)
    raise RuntimeError("redis-server did not answer")


def empty_cache(cache_url: str) -> None:
    if cache_url.startswith("redis://"):
        import redis

        client = redis.Redis.from_url(cache_url)
        client.flushall()
        client.close()
    else:
        shutil.rmtree(cache_url.removeprefix("file://"), ignore_errors=True)


def start_editors(env: dict, accounts: list[dict], every: float, started: list) -> list[subprocess.Popen]:
    """One process per editor, taking turns: one save every ``every`` seconds in all (each editor
    every ``every × editors`` seconds, the next one ``every`` seconds later); returns once all are ready."""
    editors = []
    for number, account in enumerate(accounts):
        process = subprocess.Popen(
            [
                PYTHON,
                __file__,
                "--as-editor",
                account["username"],
                "--edit",
                ",".join(str(pk) for pk in account["releases"]),
                "--save-every",
                str(every * len(accounts)),
                "--offset",
                str(every * number),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        started.append(process)
        editors.append(process)
    for process in editors:
        line = process.stdout.readline()
        if not line.startswith('{"ready"'):
            raise RuntimeError(f"an editor did not start: {line!r}")
    return editors


def stop_editors(editors: list[subprocess.Popen]) -> list[dict]:
    reports = []
    for process in editors:
        process.send_signal(signal.SIGTERM)
    for process in editors:
        out, _ = process.communicate(timeout=30)
        reports += [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    return reports


def measure(base: str, paths: list[str], script: Path, args, cache_url: str, env: dict, accounts, started) -> dict:
    empty_cache(cache_url)
    for path in dict.fromkeys(paths):  # warm: every address once
        urllib.request.urlopen(base + path, timeout=60).read()
    editors = start_editors(env, accounts, args.save_every, started) if accounts else []
    try:
        result = wrk(base + "/", args.duration, args.connections, args.threads, script=script)
    finally:
        reports = stop_editors(editors) if editors else []
    counts = result.pop("lua")
    marked = counts["hits"] + counts["misses"]
    result |= counts
    result["hit_rate"] = counts["hits"] / marked if marked else 0.0
    result["saves"] = sum(report["saves"] for report in reports)
    active = max((report["active_s"] for report in reports), default=0)
    result["saves_per_s"] = result["saves"] / active if active else 0.0
    result["editors"] = reports
    return result


def report(label: str, run: dict) -> None:
    saves = f"  {run['saves']} saves ({run['saves_per_s']:.2f}/s)" if run["editors"] else ""
    print(
        f"{label:14} {run['rps']:8.0f} req/s  p50 {run['p50_ms']:7.2f} ms  p99 {run['p99_ms']:7.2f} ms"
        f"  hit rate {run['hit_rate']:6.1%}{saves}" + (f"  {run['errors']} non-2xx" if run["errors"] else ""),
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--releases", type=int, default=20_000)
    parser.add_argument("--duration", type=int, default=20, help="seconds of wrk per run")
    parser.add_argument("--editors", type=int, default=2, help="editor processes, one ministry each")
    parser.add_argument(
        "--save-every", type=float, default=2.0, help="seconds between two saves, all editors together (taking turns)"
    )
    parser.add_argument("--rounds", type=int, default=1, help="pairs of runs (without, with edits)")
    parser.add_argument("--ministries", type=int, default=6, help="ministries whose pages are read")
    parser.add_argument("--release-pages", type=int, default=150, help="newest releases read")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--as-editor", help=argparse.SUPPRESS)
    parser.add_argument("--edit", help=argparse.SUPPRESS)
    parser.add_argument("--offset", type=float, default=0.0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.as_editor:
        return editor(args.as_editor, [int(pk) for pk in args.edit.split(",")], args.save_every, args.offset)
    if shutil.which("wrk") is None:
        print("wrk is needed: apt-get install wrk", file=sys.stderr)
        return 2
    if args.editors > args.ministries:
        parser.error("--editors cannot exceed --ministries")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop everything as on Ctrl-C

    base_env = bench_environment()
    releases = ensure_releases(base_env, args.releases)
    setup = json.loads(
        subprocess.run(
            [PYTHON, "-c", SETUP_SCRIPT, str(args.editors), str(args.ministries), str(args.release_pages)],
            cwd=ROOT,
            env=base_env,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        ).stdout
    )
    paths = weighted_paths(setup["pages"])
    started: list[subprocess.Popen] = []
    work = Path(tempfile.mkdtemp(prefix="newsroom-edits-"))
    results: dict = {
        "versions": versions(),
        "settings": vars(args) | {"json": str(args.json), "releases in database": releases},
        "mix": MIX,
        "pages": setup["pages"],
        "edited": setup["editors"],
        "rounds": [],
    }
    try:
        production = production_environment(base_env, work)
        if shutil.which("redis-server"):
            redis, redis_port = start_redis(work)
            started.append(redis)
            cache_url = f"redis://127.0.0.1:{redis_port}/0"
        else:
            print("redis-server not found: a shared file cache instead", file=sys.stderr)
            cache_url = f"file://{work / 'cache'}"
        results["cache"] = cache_url.split(":")[0]
        env = {**production, "PAGE_CACHE": "1", "CACHE_URL": cache_url}
        port = free_port()
        started.append(start_server(env, port, args.workers))
        base = f"http://127.0.0.1:{port}"
        script = lua_script(paths, work)
        print(
            f"{releases} releases, {len(set(paths))} addresses, one save every {args.save_every:g} s "
            f"({args.editors} editors taking turns), {args.duration} s per run, cache: {results['cache']}",
            flush=True,
        )
        for number in range(args.rounds):
            round_: dict = {}
            for label, accounts in (("without edits", []), ("with edits", setup["editors"])):
                round_[label] = measure(base, paths, script, args, cache_url, env, accounts, started)
                report(label, round_[label])
            round_["ratio"] = round_["with edits"]["rps"] / round_["without edits"]["rps"]
            print(f"round {number + 1}: reads keep {round_['ratio']:.0%} of their throughput under edits", flush=True)
            results["rounds"].append(round_)
        if args.rounds > 1:
            results["median ratio"] = statistics.median(round_["ratio"] for round_ in results["rounds"])
            print(f"median over {args.rounds} rounds: {results['median ratio']:.0%}")
    finally:
        for process in reversed(started):
            stop_process(process)
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("interrupted: everything started is stopped", file=sys.stderr)
        sys.exit(130)
