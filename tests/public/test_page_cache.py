"""The anonymous page cache: no query on a hit, a change forgets the pages that show it, exact at publish times."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import Tag
from core.publication import Status
from releases.models import Release
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("warm_sites")]

LUX = ZoneInfo("Europe/Luxembourg")
AT_0959 = datetime(2031, 3, 4, 9, 59, 0, tzinfo=LUX)
AT_1000 = datetime(2031, 3, 4, 10, 0, 0, tzinfo=LUX)


def queries_for(client, url, **headers):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    return response, len(captured)


def s_maxage(response) -> int:
    match = re.search(r"s-maxage=(\d+)", response["Cache-Control"])
    assert match, response["Cache-Control"]
    return int(match.group(1))


@pytest.fixture
def page():
    """A public release with a photo, a person, a tag and a meeting, and the pages that show it."""
    org = factories.organisation(slug="ministere")
    person = factories.person(slug="marie")
    release = factories.release(organisations=[org], title_fr="Annonce du jour")
    release.appointments.add(factories.appointment(person_=person, role_=factories.role(org)))
    release.tags.add(Tag.objects.create(name="asile", slug="asile"))
    photo = factories.photo(caption_fr="Une photo")
    release.gallery = factories.gallery(photos=[photo])
    release.meeting = factories.meeting(
        slug="conseil", status=Status.PUBLISHED, publish_at=timezone.now() - timedelta(days=1)
    )
    release.save()
    return release


URLS = [
    "/fr/",
    "/fr/communiques/",
    "/fr/communiques/flux/rss/",
    "/fr/personnes/marie/",
    "/fr/organisations/ministere/",
    "/fr/themes/asile/",
    "/fr/reunions/conseil/",
]


@pytest.mark.parametrize("url", URLS + ["release"])
def test_a_cached_page_needs_no_query(client, page, url):
    url = page.get_absolute_url() if url == "release" else url
    first, cold = queries_for(client, url)
    assert first.status_code == 200 and cold > 0
    second, warm = queries_for(client, url)
    assert warm == 0
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_languages_are_cached_apart(client, page):
    french = client.get("/fr/communiques/")
    german = client.get("/de/communiques/")
    assert french.content != german.content
    again, count = queries_for(client, "/de/communiques/")
    assert count == 0 and again.content == german.content


def change_release(release, photo, person, org, meeting, tag):
    release.title_fr = "Titre corrigé"
    release.save()


def change_photo(release, photo, person, org, meeting, tag):
    photo.caption_fr = "Légende corrigée"
    photo.save()


def change_person(release, photo, person, org, meeting, tag):
    person.family_name = "Renommée"
    person.save()


def change_organisation(release, photo, person, org, meeting, tag):
    org.name_fr = "Ministère renommé"
    org.save()


def change_meeting(release, photo, person, org, meeting, tag):
    meeting.title_fr = "Conseil renommé"
    meeting.save()


def change_tag(release, photo, person, org, meeting, tag):
    tag.name = "asile et immigration"
    tag.save()


def change_tags_of_release(release, photo, person, org, meeting, tag):
    release.tags.remove(tag)


def delete_gallery_photo(release, photo, person, org, meeting, tag):
    release.gallery.items.all().delete()


LIST, RELEASE, PERSON, HOME = "/fr/communiques/", "release", "/fr/personnes/marie/", "/fr/"


@pytest.mark.parametrize(
    ("change", "forgotten"),
    [
        # The title shows on the release's page and in every list of releases (the person's page lists it).
        (change_release, {LIST, RELEASE, PERSON, HOME}),
        # The photo shows on the release page only (Marie is not in it).
        (change_photo, {RELEASE}),
        # Marie's name: her page, the release naming her, the list's person filter.
        (change_person, {LIST, RELEASE, PERSON}),
        # The issuer's name shows in every entry of the release and on its page.
        (change_organisation, {LIST, RELEASE, PERSON, HOME}),
        # The meeting: the release page, the list's meeting filter, the home page's meetings.
        (change_meeting, {LIST, RELEASE, HOME}),
        # A tag's name: the release page and the list's tag filter.
        (change_tag, {LIST, RELEASE}),
        # A tag taken off the release: its page, the filter, and every list showing the release.
        (change_tags_of_release, {LIST, RELEASE, PERSON, HOME}),
        (delete_gallery_photo, {RELEASE}),
    ],
)
def test_a_change_forgets_the_pages_showing_it_and_keeps_the_others(client, page, change, forgotten):
    urls = {url: page.get_absolute_url() if url == RELEASE else url for url in (LIST, RELEASE, PERSON, HOME)}
    for url in urls.values():
        client.get(url)
        assert queries_for(client, url)[1] == 0
    photo = page.gallery.items.get().photo
    person = page.appointments.get().person
    org = page.organisations.get()
    change(page, photo, person, org, page.meeting, page.tags.get())
    rebuilt = {name for name, url in urls.items() if queries_for(client, url)[1] > 0}
    assert rebuilt == forgotten, f"{change.__name__}: rebuilt {sorted(rebuilt)}, expected {sorted(forgotten)}"


def test_a_change_to_one_ministry_leaves_the_other_ministrys_pages_cached(client):
    home_affairs = factories.organisation(slug="maint")
    justice = factories.organisation(slug="mjust")
    ours = factories.release(organisations=[home_affairs], title_fr="Annonce des Affaires intérieures")
    theirs = factories.release(organisations=[justice], title_fr="Annonce de la Justice")
    kept = [
        "/fr/organisations/maint/",
        "/fr/organisations/maint/flux/rss/",
        "/fr/communiques/?organisation=maint",
        ours.get_absolute_url(),
    ]
    forgotten = [
        "/fr/organisations/mjust/",
        "/fr/communiques/",
        "/fr/",
        "/fr/recherche/?q=annonce",
        theirs.get_absolute_url(),
    ]
    for url in kept + forgotten:
        assert client.get(url).status_code == 200
        assert queries_for(client, url)[1] == 0
    theirs = Release.objects.get(pk=theirs.pk)  # as the admin's form loads it
    theirs.lead_fr = "Un chapeau corrigé."
    theirs.save()
    for url in kept:
        response, count = queries_for(client, url)
        assert count == 0 and response["X-Page-Cache"] == "hit", f"{url} was forgotten"
    for url in forgotten:
        response, count = queries_for(client, url)
        assert count > 0 and response["X-Page-Cache"] == "miss", f"{url} was kept"


def test_a_correction_leaves_the_list_pages_that_do_not_show_the_release_cached(client):
    ministry = factories.organisation(slug="maint")
    now = timezone.now()
    newest, *older = [
        factories.release(organisations=[ministry], title_fr=f"Annonce {n}", publish_at=now - timedelta(hours=n + 1))
        for n in range(25)
    ]
    first_page = client.get("/fr/communiques/")
    second_page = "/fr/communiques/?" + first_page.context["next_querystring"]
    assert newest.title_fr in first_page.content.decode()
    assert newest.title_fr not in client.get(second_page).content.decode()
    for url in ("/fr/communiques/", second_page):
        assert queries_for(client, url)[1] == 0

    newest = Release.objects.get(pk=newest.pk)  # as the admin's form loads it
    newest.lead_fr = "Chapeau corrigé."
    newest.save()
    assert queries_for(client, "/fr/communiques/")[1] > 0, "the page showing it is rebuilt"
    assert queries_for(client, second_page)[1] == 0, "a page not showing it stays cached"

    newest = Release.objects.get(pk=newest.pk)
    newest.publish_at = older[-1].publish_at - timedelta(hours=1)  # rescheduled: now the oldest
    newest.save()
    assert queries_for(client, second_page)[1] > 0, "moved between pages: every page of the list goes"


def test_a_purge_the_cache_has_forgotten_is_not_taken_for_no_purge(client):
    """A file cache culls entries at random: a purge's marks may go while pages stored before it stay."""
    from core.pagecache import ANY_CONTENT, STATIC, TAG_KEY_PREFIX, page_cache, purge

    assert client.get("/fr/accessibilite/")["Cache-Tag"] == STATIC
    assert queries_for(client, "/fr/accessibilite/")[1] == 0
    purge([STATIC])
    page_cache().delete_many([TAG_KEY_PREFIX + STATIC, TAG_KEY_PREFIX + ANY_CONTENT])  # culled
    assert client.get("/robots.txt")["X-Page-Cache"] == "miss"  # another page with the tag is kept anew
    response, count = queries_for(client, "/fr/accessibilite/")
    assert response["X-Page-Cache"] == "miss", "served from before the forgotten purge"


def test_pages_name_what_they_show_in_their_cache_tags(client, page):
    response = client.get(page.get_absolute_url())
    tags = set(response["Cache-Tag"].split())
    assert response["Surrogate-Key"] == response["Cache-Tag"]
    issuer = page.organisations.get()
    person = page.appointments.get().person
    photo = page.gallery.items.get().photo
    tag = page.tags.get()
    assert {
        f"release:{page.pk}",
        f"organisation:{issuer.pk}",
        f"person:{person.pk}",
        f"photo:{photo.pk}",
        f"tag:{tag.pk}",
        f"meeting:{page.meeting_id}",
        f"gallery:{page.gallery_id}",
    } <= tags
    listed = set(client.get("/fr/communiques/?organisation=ministere")["Cache-Tag"].split())
    assert {f"list:organisation:{issuer.pk}", f"release:{page.pk}", "choices"} <= listed
    assert "list:releases" not in listed, "a ministry's list is not forgotten by other ministries' releases"
    assert "list:releases" in client.get("/fr/communiques/")["Cache-Tag"].split()
    assert client.get("/fr/accessibilite/")["Cache-Tag"] == "static"
    assert client.get("/fr/communiques/")["X-Page-Cache"] == "hit"


@pytest.mark.django_db(transaction=True)
def test_a_change_purges_its_tags_at_once_and_again_when_it_commits(client):
    """A page rendered from the old data while the transaction ran is not kept either; HTTP caches in
    front are told once, after the commit."""
    from django.db import transaction

    from core.pagecache import tag_versions
    from core.signals import cache_tags_purged

    release = factories.release(title_fr="Avant")
    tag = f"release:{release.pk}"
    told = []

    def receiver(sender, tags, everything, **kwargs):
        told.append((tags, everything))

    cache_tags_purged.connect(receiver)
    try:
        with transaction.atomic():
            release.title_fr = "Après"
            release.save()
            inside = tag_versions([tag])[tag]
            release.lead_fr = "Chapeau"
            release.save()
            assert tag_versions([tag])[tag] != inside  # each save purges at once
            inside = tag_versions([tag])[tag]
            assert told == []  # the HTTP caches hear of it after the commit only
        assert tag_versions([tag])[tag] != inside  # and once more after the commit
    finally:
        cache_tags_purged.disconnect(receiver)
    assert len(told) == 1 and tag in told[0][0] and told[0][1] is False
    assert "Après" in client.get("/fr/communiques/").content.decode()


def test_a_page_built_while_its_tags_were_purged_is_sent_but_not_kept(client, page, monkeypatch):
    from core import pagecache

    url = page.get_absolute_url()
    build = pagecache.versions_to_keep

    def purged_meanwhile(tags, started_ns):
        pagecache.purge([f"release:{page.pk}"])  # as another process would, during the rendering
        return build(tags, started_ns)

    monkeypatch.setattr(pagecache, "versions_to_keep", purged_meanwhile)
    response = client.get(url)
    assert response.status_code == 200 and s_maxage(response) == 0
    monkeypatch.undo()
    assert queries_for(client, url)[1] > 0, "not kept"


@pytest.mark.parametrize("url", ["/fr/", "/fr/communiques/", "/fr/communiques/flux/rss/", "/fr/communiques/flux/atom/"])
def test_a_scheduled_release_appears_at_ten_on_pages_cached_at_nine_fifty_nine(client, url):
    with time_machine.travel(AT_0959 - timedelta(days=1), tick=False):
        factories.release(title_fr="Ancienne annonce", publish_at=AT_0959 - timedelta(days=1))
        factories.release(status=Status.SCHEDULED, title_fr="Annonce de dix heures", publish_at=AT_1000)
    with time_machine.travel(AT_0959, tick=False) as traveller:
        before = client.get(url)
        assert before.status_code == 200
        assert b"Annonce de dix heures" not in before.content
        assert queries_for(client, url)[1] == 0  # cached at 09:59
        # The CDN may keep it, but not past 10:00:00.
        assert 0 < s_maxage(before) <= 60
        traveller.move_to(AT_1000 - timedelta(seconds=1))
        assert b"Annonce de dix heures" not in client.get(url).content
        assert s_maxage(client.get(url)) <= 1
        traveller.move_to(AT_1000)
        assert b"Annonce de dix heures" in client.get(url).content


def test_the_release_page_appears_at_ten_and_a_404_is_not_kept(client):
    with time_machine.travel(AT_0959 - timedelta(days=1), tick=False):
        release = factories.release(status=Status.SCHEDULED, title_fr="Sous embargo", publish_at=AT_1000)
    url = release.get_absolute_url()
    with time_machine.travel(AT_0959, tick=False) as traveller:
        assert client.get(url).status_code == 404
        assert client.get(url).status_code == 404
        traveller.move_to(AT_1000)
        assert client.get(url).status_code == 200


def test_an_unpublished_release_is_not_kept_past_its_unpublish_time(client):
    with time_machine.travel(AT_0959 - timedelta(days=1), tick=False):
        release = factories.release(title_fr="Bientôt retirée", publish_at=AT_0959 - timedelta(days=1))
        release.unpublish_at = AT_1000
        release.save()
    url = release.get_absolute_url()
    with time_machine.travel(AT_0959, tick=False) as traveller:
        assert client.get(url).status_code == 200
        assert queries_for(client, url)[1] == 0
        assert b"Bient" in client.get("/fr/communiques/").content
        traveller.move_to(AT_1000)
        assert client.get(url).status_code == 410
        assert b"Bient" not in client.get("/fr/communiques/").content


def test_a_page_stored_later_is_never_served_earlier(client):
    """A clock set back (or a page stored by a process ahead of this one) never shows the future."""
    with time_machine.travel(AT_0959 - timedelta(days=1), tick=False):
        factories.release(status=Status.SCHEDULED, title_fr="Annonce de dix heures", publish_at=AT_1000)
    with time_machine.travel(AT_1000 + timedelta(minutes=1), tick=False):
        assert b"Annonce de dix heures" in client.get("/fr/communiques/").content
    with time_machine.travel(AT_0959, tick=False):
        assert b"Annonce de dix heures" not in client.get("/fr/communiques/").content


def test_a_withdrawal_is_seen_at_once(client, page):
    url = page.get_absolute_url()
    client.get(url)
    page.status = Status.WITHDRAWN
    page.save()
    response, count = queries_for(client, url)
    assert count > 0


def test_photo_rights_expiry_is_a_boundary(client, page):
    photo = page.gallery.items.get().photo
    photo.rights_expire_on = timezone.localdate() + timedelta(days=2)
    photo.save()
    response = client.get(page.get_absolute_url())
    assert s_maxage(response) <= 60
    from core.pagecache import compute_next_boundary

    boundary = compute_next_boundary(timezone.now())
    assert boundary is not None
    assert boundary <= datetime.combine(photo.rights_expire_on, datetime.min.time(), tzinfo=LUX)


def test_conditional_requests_answer_304(client, page):
    for url in ["/fr/communiques/", page.get_absolute_url(), "/fr/personnes/marie/"]:
        first = client.get(url)
        etag, last_modified = first["ETag"], first["Last-Modified"]
        assert etag and last_modified
        response, count = queries_for(client, url, if_none_match=etag)
        assert response.status_code == 304 and count == 0
        assert response["ETag"] == etag
        response = client.get(url, headers={"if-modified-since": last_modified})
        assert response.status_code == 304
        assert client.get(url, headers={"if-none-match": '"other"'}).status_code == 200


def test_cache_control_is_public_and_bounded(client, page, settings):
    for url in ["/fr/communiques/", page.get_absolute_url(), "/fr/themes/asile/"]:
        cold = client.get(url)
        warm = client.get(url)
        for response in (cold, warm):
            control = response["Cache-Control"]
            assert control.startswith("public")
            assert 0 < s_maxage(response) <= settings.PAGE_CACHE_CDN_SECONDS <= 60
    # A release scheduled in 20 seconds bounds what a CDN may keep.
    factories.release(status=Status.SCHEDULED, publish_at=timezone.now() + timedelta(seconds=20))
    assert s_maxage(client.get("/fr/communiques/")) <= 20


def test_staff_pages_are_never_cached(client, page):
    staff = factories.user(superuser=True)
    client.force_login(staff)
    for url in ["/fr/communiques/", page.get_absolute_url(), f"/fr/communiques/apercu/{page.pk}/", "/admin/"]:
        first = client.get(url)
        assert first.status_code == 200, url
        assert "public" not in first.get("Cache-Control", ""), url
        response, count = queries_for(client, url)
        assert count > 0, url
    # Nothing a logged-in visit rendered is served to the public.
    client.logout()
    response, count = queries_for(client, "/fr/communiques/")
    assert count > 0


def test_a_draft_seen_in_preview_is_not_served_to_the_public(client, page):
    draft = factories.release(status=Status.DRAFT, title_fr="Brouillon secret")
    client.force_login(factories.user(superuser=True))
    assert b"Brouillon secret" in client.get(f"/fr/communiques/apercu/{draft.pk}/").content
    client.logout()
    assert client.get(f"/fr/communiques/apercu/{draft.pk}/").status_code == 302
    assert b"Brouillon secret" not in client.get("/fr/communiques/").content


def test_responses_that_set_a_cookie_are_not_cached(rf, settings):
    from django.http import HttpResponse

    from core.pagecache import PageCacheMiddleware

    def view(request):
        response = HttpResponse("bonjour")
        response.set_cookie("preference", "1")
        return response

    middleware = PageCacheMiddleware(view)
    first = middleware(rf.get("/fr/cookie/"))
    second = middleware(rf.get("/fr/cookie/"))
    assert "preference" in first.cookies and "preference" in second.cookies
    assert "Cache-Control" not in first or "public" not in first["Cache-Control"]


def test_the_cache_can_be_turned_off(client, page, settings):
    from django.test import override_settings

    with override_settings(PAGE_CACHE_ENABLED=False):
        from django.test import Client

        fresh = Client()
        fresh.get("/fr/communiques/")
        assert queries_for(fresh, "/fr/communiques/")[1] > 0


def test_a_fragment_kept_in_the_process_follows_the_content_version():
    """Kept in the process, a fragment is still built again after any change, after the shared cache
    is emptied (even twice in the same frozen instant) and at the next publication boundary."""
    from django.core.cache import caches

    from core import pagecache

    built = []

    def build():
        built.append(len(built) + 1)
        return built[-1]

    def fragment():
        return pagecache.cached_fragment("test-kept", build, keep_in_process=True)

    with time_machine.travel(AT_0959 - timedelta(days=1), tick=False):
        assert fragment() == 1
        assert fragment() == 1  # kept
        pagecache.bump_version()
        assert fragment() == 2
        for expected in (3, 4):
            for cache in caches.all():
                cache.clear()
            assert fragment() == expected
        factories.release(status=Status.SCHEDULED, publish_at=AT_0959)
        assert fragment() == 5
    with time_machine.travel(AT_0959, tick=False):
        assert fragment() == 6  # the scheduled release is public now
