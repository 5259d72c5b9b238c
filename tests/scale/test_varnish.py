"""Varnish in front of the two app processes (tests/scale/varnish.py runs deploy/varnish/ as committed).

Whether Varnish answered from its store is read from its own ``X-Cache`` header (``obj.hits`` in
``vcl_deliver``: hit, miss, or pass for what it never keeps). Times are compared with the wall clock:
a release is scheduled to the second, a few seconds ahead, through the newsroom's services.
"""

from __future__ import annotations

import time

import pytest

from tests.scale.cluster import request

pytestmark = pytest.mark.scale

LISTS = ("/fr/", "/fr/communiques/", "/fr/communiques/flux/rss/", "/fr/communiques/flux/atom/")


def cache_state(answer) -> str:
    return answer.headers.get("x-cache", ["?"])[0]


def s_maxage(answer) -> int | None:
    for part in answer.headers.get("cache-control", [""])[0].split(","):
        name, _, value = part.strip().partition("=")
        if name == "s-maxage":
            return int(value)
    return None


def warm(varnish, path: str) -> None:
    """Ask twice: the second answer comes from Varnish's store."""
    assert varnish.get(path).status == 200, path
    answer = varnish.get(path)
    assert answer.status == 200 and cache_state(answer) == "hit", (path, answer.headers)


def sleep_until(moment: float) -> None:
    time.sleep(max(0.0, moment - time.time()))


def test_a_release_scheduled_for_second_t_is_served_by_varnish_at_t_and_not_before(scaled, varnish):
    title = "Publication a la seconde par Varnish"
    scheduled = scaled.action("schedule", title, "12")
    publish_at = scheduled["publish_at"]
    assert publish_at - time.time() > 4, "enough time left to warm Varnish before the publication"
    # Pages Varnish kept before the scheduling are another matter (its purge, tested below): start empty.
    assert varnish.ban({"X-Purge-All": "1"}).status == 200
    # Before T, Varnish holds the lists and feeds (without the release) and answers them itself.
    for path in LISTS:
        warm(varnish, path)
        assert title not in varnish.get(path).body
    assert varnish.get(scheduled["path"]).status == 404

    # From just before T to just after it, pages are asked again and again: nothing shows the release
    # before T, everything shows it from T on, within the publication second. Some are first asked
    # again at T only: an expired page kept in grace would be served to them (it must not be).
    polled = ("/fr/communiques/", "/fr/communiques/flux/rss/", scheduled["path"])
    first_at_t = ("/fr/", "/fr/communiques/flux/atom/")
    paths = (*polled, *first_at_t)
    sleep_until(publish_at - 0.6)
    seen: dict[str, float] = {}
    while time.time() < publish_at + 2 and len(seen) < len(paths):
        for path in polled if time.time() < publish_at else paths:
            asked_at = time.time()
            answer = varnish.get(path)
            answered_at = time.time()
            shown = answer.status == 200 and title in answer.body
            if answered_at < publish_at:
                assert not shown, f"{path} showed the release {publish_at - answered_at:.3f} s before its time"
                # What Varnish tells a cache further along (a CDN) never reaches past T either.
                assert answered_at + (s_maxage(answer) or 0) <= publish_at, (path, answer.headers)
            elif asked_at >= publish_at:
                assert shown, f"{path} did not show the release {asked_at - publish_at:.3f} s after its time"
            if shown and path not in seen:
                seen[path] = asked_at
        time.sleep(0.05)
    assert set(seen) == set(paths)
    for path, asked_at in seen.items():
        assert asked_at - publish_at < 1, f"{path} showed it only {asked_at - publish_at:.3f} s after its time"
    # And Varnish keeps the new pages: asked again, they come from its store.
    for path in paths:
        answer = varnish.get(path)
        assert cache_state(answer) == "hit" and title in answer.body, path


def test_an_embargoed_release_never_enters_varnish(scaled, varnish):
    title = "Sous embargo jusqu a la seconde"
    scheduled = scaled.action("schedule", title, "10")
    publish_at = scheduled["publish_at"]
    path = scheduled["path"]
    assert varnish.ban({"X-Purge-All": "1"}).status == 200  # as above: only what is fetched from now on
    # Before T its address answers 404 from the app every time: Varnish keeps neither the 404
    # nor anything else of it, and the lists it keeps do not name it.
    states = set()
    while time.time() < publish_at - 0.4:
        answer = varnish.get(path)
        assert answer.status == 404 and title not in answer.body
        states.add(cache_state(answer))
        for listing in LISTS:
            assert title not in varnish.get(listing).body
        time.sleep(0.3)
    assert states == {"pass"}, f"asked before T and never answered from Varnish's store ({states})"
    # The last 404 was asked less than a second before T: no cached 404 survives T.
    sleep_until(publish_at)
    answer = varnish.get(path)
    assert answer.status == 200 and title in answer.body
    assert time.time() - publish_at < 1
    assert cache_state(answer) == "miss", "fetched from the app at T, not from a stored answer"


def test_varnish_passes_what_is_personal_or_not_a_page(varnish):
    cached = "/fr/communiques/"
    warm(varnish, cached)
    for cookie in ("sessionid=x", "messages=x", "newsroom_primary=1", "csrftoken=x; sessionid=x"):
        answer = varnish.get(cached, headers={"Cookie": cookie})
        assert cache_state(answer) == "pass", cookie
    answer = varnish.get(cached, headers={"Authorization": "Bearer x"})
    assert cache_state(answer) == "pass"
    # A cookie the newsroom does not read (a statistics tool's) does not stop Varnish from answering.
    assert cache_state(varnish.get(cached, headers={"Cookie": "_pk_id=1"})) == "hit"
    for path in ("/admin/login/", "/fr/communiques/apercu/1/", "/fr/page-qui-n-existe-pas/", "/"):
        first, second = varnish.get(path), varnish.get(path)
        assert first.status in (200, 302, 403, 404)
        assert cache_state(first) == cache_state(second) == "pass", path
    posted = request("POST", f"http://127.0.0.1:{varnish.port}/i18n/setlang/", data={"language": "de"})
    assert posted.status == 403 and cache_state(posted) == "pass"  # no CSRF token: refused by the app


def test_bans_come_only_from_the_purgers_list_and_match_whole_tags(varnish):
    assert varnish.ban({"X-Purge-Tags": "release:1"}, source="127.0.0.2").status == 405
    assert varnish.ban({"X-Purge-Tags": "release:1 (.*)"}).status == 400
    assert varnish.ban({"X-Purge-Tags": "release:1  list:releases"}).status == 400
    assert varnish.ban({"X-Purge-Tags": "release:1 list:kind:communique"}).status == 200
    bans = varnish.admin("ban.list")
    assert r"obj.http.Cache-Tag ~ (^|\s)(release:1|list:kind:communique)(\s|$)" in bans
    assert "req." not in bans, "bans name obj.* only, so the ban lurker can apply them"


def test_a_purge_of_everything_empties_varnish(varnish, settings):
    from newsroom import http_purge

    warm(varnish, "/fr/communiques/")
    settings.VARNISH_URLS = [f"http://127.0.0.1:{varnish.port}"]
    settings.HTTP_PURGE_REPEAT_SECONDS = 0
    http_purge.purge(tags=frozenset(), everything=True)
    assert cache_state(varnish.get("/fr/communiques/")) == "miss"


def test_an_edit_purges_the_pages_that_show_the_release_and_no_others(scaled, varnish):
    made = scaled.action("two_ministries")
    edited, other = made["a"], made["b"]
    title = edited["title"]
    showing = (
        edited["release_path"],
        edited["organisation_path"],
        edited["organisation_path"] + "flux/rss/",
        "/fr/communiques/",
        "/fr/communiques/flux/rss/",
        "/fr/",
    )
    not_showing = (other["release_path"], other["organisation_path"], other["organisation_path"] + "flux/rss/")
    for path in showing + not_showing:
        warm(varnish, path)
        assert (title in varnish.get(path).body) == (path in showing), path

    scaled.action("relead", str(edited["release"]), "Chapeau corrigé par la rédaction")

    for path in showing:
        answer = varnish.get(path)
        assert answer.status == 200 and cache_state(answer) == "miss", f"{path} was not purged"
    for path in not_showing:
        assert cache_state(varnish.get(path)) == "hit", f"{path} was purged though it does not show the release"
    assert "Chapeau corrigé par la rédaction" in varnish.get(edited["release_path"]).body


def test_pages_cached_before_a_release_was_scheduled_show_it_at_t(scaled, varnish):
    """The lists were cached for up to a minute before anything was scheduled: the scheduling itself
    must purge them, so that the pages Varnish fetches again end at T."""
    ministry = scaled.action("two_ministries")["a"]
    pages = ("/fr/", "/fr/communiques/", "/fr/communiques/flux/atom/", ministry["organisation_path"])
    for path in pages:
        warm(varnish, path)
    title = "Programme apres mise en cache"
    scheduled = scaled.action("schedule", title, "12", ministry["slug"])
    publish_at = scheduled["publish_at"]
    for path in pages:
        answer = varnish.get(path)
        assert title not in answer.body
        assert time.time() + (s_maxage(answer) or 0) <= publish_at, f"{path} is still kept past T: not purged"
    sleep_until(publish_at)
    seen: dict[str, float] = {}
    while time.time() < publish_at + 2 and len(seen) < len(pages):
        for path in pages:
            asked_at = time.time()
            if title in varnish.get(path).body:
                seen.setdefault(path, asked_at)
        time.sleep(0.05)
    assert set(seen) == set(pages)
    assert all(asked_at - publish_at < 1 for asked_at in seen.values()), seen
