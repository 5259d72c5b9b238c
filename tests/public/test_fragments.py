"""Fragments kept between requests when the page cache misses: each shows what its release (or list)
shows now, is built again when what it shows changes, and gives the page its cache tags."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import pagecache
from core.publication import Status
from releases import services
from releases.models import Release
from releases.templatetags.release_tags import release_items
from tests import factories

pytestmark = pytest.mark.django_db

LUX = ZoneInfo("Europe/Luxembourg")


@pytest.fixture
def page_cache_off(settings):
    """Every request renders its page: what is measured is the fragments."""
    settings.PAGE_CACHE_ENABLED = False


def queries_for(client, url, **params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    return response, len(captured)


def entry_of(html: str, title: str) -> str:
    """The ``<li>`` of the list entry titled ``title``."""
    end = html.index(title)
    start = html.rindex('<li class="release-item">', 0, end)
    return html[start : html.index("</li>", end) + len("</li>")]


@pytest.fixture
def listed():
    ministry = factories.organisation(slug="maint", name_fr="Ministère des Affaires intérieures")
    other = factories.organisation(slug="mjust", name_fr="Ministère de la Justice")
    release = factories.release(
        organisations=[ministry, other],
        title_fr="Annonce du jour",
        title_de="Ankündigung des Tages",
        slug_de="ankuendigung",
    )
    return release, ministry, other


LISTS = ("/fr/communiques/", "/fr/")


@pytest.mark.usefixtures("page_cache_off")
class TestListEntries:
    def test_an_entry_is_kept_and_shows_the_release_and_its_issuers(self, client, listed):
        release, _ministry, _other = listed
        first, built = queries_for(client, "/fr/communiques/")
        second, kept = queries_for(client, "/fr/communiques/")
        assert second.content == first.content
        assert kept < built, "the entries (with their issuers) are kept"
        entry = entry_of(second.content.decode(), "Annonce du jour")
        assert f'href="{release.get_absolute_url()}"' in entry
        assert "Ministère des Affaires intérieures, Ministère de la Justice" in entry

    def test_each_language_has_its_own_entry(self, client, listed):
        client.get("/fr/communiques/")
        german = client.get("/de/communiques/").content.decode()
        assert "Ankündigung des Tages" in german and "Annonce du jour" not in german
        assert "Annonce du jour" in client.get("/fr/communiques/").content.decode()

    def test_an_edit_of_the_release_rebuilds_its_entry(self, client, listed):
        release, _ministry, _other = listed
        for url in LISTS:
            client.get(url)
        release = Release.objects.get(pk=release.pk)  # as the admin loads it
        release.title_fr = "Annonce corrigée"
        release.save()
        for url in LISTS:
            html = client.get(url).content.decode()
            assert "Annonce corrigée" in html and "Annonce du jour" not in html

    def test_a_correction_of_the_title_shows_on_every_list_at_the_next_request(self, client, listed):
        release, ministry, _other = listed
        person = factories.person(slug="leon-gloden", given_name="Léon", family_name="Gloden")
        release.appointments.add(factories.appointment(person_=person))
        urls = (*LISTS, f"/fr/personnes/{person.slug}/", ministry.get_absolute_url())
        for url in urls:
            assert "Annonce du jour" in client.get(url).content.decode(), url
        release = Release.objects.get(pk=release.pk)
        release.title_fr = "Annonce rectifiée"
        services.release_publish_correction(
            release=release, by=factories.user(superuser=True), major=False, internal_note="titre"
        )
        for url in urls:
            html = client.get(url).content.decode()
            assert "Annonce rectifiée" in html and "Annonce du jour" not in html, url

    def test_renaming_an_issuer_rebuilds_the_entries_naming_it(self, client, listed):
        _release, ministry, _other = listed
        for url in LISTS:
            client.get(url)
        ministry.name_fr = "Ministère de la Sécurité intérieure"
        ministry.save()
        for url in LISTS:
            entry = entry_of(client.get(url).content.decode(), "Annonce du jour")
            assert "Ministère de la Sécurité intérieure" in entry and "Affaires intérieures" not in entry

    def test_a_withdrawal_shows_in_the_entry_at_once(self, client, listed):
        release, _ministry, _other = listed
        client.get("/fr/communiques/")
        release = Release.objects.get(pk=release.pk)
        release.status = Status.WITHDRAWN
        release.save()
        assert "Retiré" in entry_of(client.get("/fr/communiques/").content.decode(), "Annonce du jour")

    def test_a_release_rescheduled_into_the_future_leaves_the_list_whatever_is_kept(self, client, listed):
        release, _ministry, _other = listed
        for url in LISTS:
            client.get(url)
        # Moved to next week without a signal (as a bulk update would): its kept entry is still valid, the
        # list's own selection (public()) leaves it out.
        Release.objects.filter(pk=release.pk).update(publish_at=timezone.now() + timedelta(days=7))
        for url in LISTS:
            assert "Annonce du jour" not in client.get(url).content.decode()

    def test_a_scheduled_release_is_listed_at_its_publication_time(self, client):
        at_0959 = datetime(2031, 3, 4, 9, 59, tzinfo=LUX)
        at_1000 = datetime(2031, 3, 4, 10, 0, tzinfo=LUX)
        with time_machine.travel(at_0959 - timedelta(hours=1), tick=False):
            factories.release(title_fr="Déjà publié", publish_at=at_0959 - timedelta(hours=2))
            factories.release(title_fr="Sous embargo", status=Status.SCHEDULED, publish_at=at_1000)
        with time_machine.travel(at_0959, tick=False):
            html = client.get("/fr/communiques/").content.decode()
            assert "Déjà publié" in html and "Sous embargo" not in html
        with time_machine.travel(at_1000, tick=False):
            assert "Sous embargo" in client.get("/fr/communiques/").content.decode()

    def test_search_snippets_follow_the_query_with_kept_entries(self, client):
        factories.release(title_fr="Annonce", lead_fr="Le ministre parle de coopération et de sécurité.")
        first = client.get("/fr/recherche/", {"q": "coopération"}).content.decode()
        second = client.get("/fr/recherche/", {"q": "sécurité"}).content.decode()
        assert "<mark>coopération</mark>" in first
        assert "<mark>sécurité</mark>" in second and "<mark>coopération</mark>" not in second


def test_a_page_built_from_kept_entries_carries_their_cache_tags(client, listed):
    release, ministry, other = listed
    assert client.get("/fr/communiques/")["X-Page-Cache"] == "miss"
    factories.release(title_fr="Autre annonce")  # purges the list page, not the first release's entry
    response = client.get("/fr/communiques/")
    assert response["X-Page-Cache"] == "miss"
    tags = set(response["Cache-Tag"].split())
    assert {f"release:{release.pk}", f"organisation:{ministry.pk}", f"organisation:{other.pk}"} <= tags
    # and the page so built is forgotten when the release's issuer is renamed
    assert client.get("/fr/communiques/")["X-Page-Cache"] == "hit"
    other.name_fr = "Ministère de la Justice et des Cultes"
    other.save()
    again = client.get("/fr/communiques/")
    assert again["X-Page-Cache"] == "miss" and "Justice et des Cultes" in again.content.decode()


def test_entries_are_kept_per_site(listed, monkeypatch):
    """An entry built for one site is never read on another (its key is scoped like every fragment's)."""
    release, _ministry, _other = listed
    with pagecache.fragment_scope("portal"):
        on_portal = release_items([Release.objects.get(pk=release.pk)])
    builds = []
    original = pagecache.stamps_to_keep

    def counting(built):
        builds.append(len(built))
        return original(built)

    monkeypatch.setattr(pagecache, "stamps_to_keep", counting)
    with pagecache.fragment_scope("maint"):
        on_ministry = release_items([Release.objects.get(pk=release.pk)])
    with pagecache.fragment_scope("portal"):
        release_items([Release.objects.get(pk=release.pk)])
    assert on_ministry == on_portal
    assert builds == [1], "built again for the other site only"


def test_a_value_whose_tag_is_purged_while_it_is_built_is_not_kept(listed):
    release, _ministry, _other = listed
    built = []

    def build(index):
        built.append(index)
        pagecache.add_tags(f"release:{release.pk}")
        if len(built) == 1:
            pagecache.purge([f"release:{release.pk}"])
        return f"value {len(built)}"

    assert pagecache.cached_fragments(["racing"], build) == ["value 1"]
    assert pagecache.cached_fragments(["racing"], build) == ["value 2"]
    assert pagecache.cached_fragments(["racing"], build) == ["value 2"]
    assert len(built) == 2


@pytest.mark.usefixtures("page_cache_off")
class TestFilterForm:
    def test_the_form_is_kept_and_shows_the_submitted_values(self, client, listed):
        _release, ministry, _other = listed
        plain = client.get("/fr/communiques/").content.decode()
        chosen = client.get("/fr/communiques/", {"organisation": ministry.slug}).content.decode()
        assert f'<option value="{ministry.slug}" selected>' in chosen
        assert f'<option value="{ministry.slug}" selected>' not in plain
        assert client.get("/fr/communiques/").content.decode() == plain

    def test_a_new_issuer_is_offered_at_the_next_request(self, client, listed):
        client.get("/fr/communiques/")
        newcomer = factories.organisation(slug="mecon", name_fr="Ministère de l'Économie")
        factories.release(organisations=[newcomer])
        assert 'value="mecon"' in client.get("/fr/communiques/").content.decode()

    def test_a_form_with_errors_shows_them(self, client, listed):
        response = client.get("/fr/communiques/", {"organisation": "nowhere"})
        assert response.status_code == 400
        assert 'class="field-error"' in response.content.decode()
        assert 'class="field-error"' not in client.get("/fr/communiques/").content.decode()


@pytest.mark.usefixtures("page_cache_off")
class TestFeedEntries:
    RSS, ATOM = "/fr/communiques/flux/rss/", "/fr/communiques/flux/atom/"

    def test_entries_are_kept_and_the_feed_is_the_same(self, client, listed):
        for url in (self.RSS, self.ATOM):
            first, built = queries_for(client, url)
            again, kept = queries_for(client, url)
            assert again.content == first.content
            assert kept == 1, "the releases only, selected through public()"
            assert built > kept
        assert b"<item><title>Annonce du jour</title>" in client.get(self.RSS).content
        assert b"<entry><title>Annonce du jour</title>" in client.get(self.ATOM).content

    def test_an_edit_of_the_release_rebuilds_its_entry(self, client, listed):
        release, _ministry, _other = listed
        client.get(self.RSS)
        release = Release.objects.get(pk=release.pk)
        release.lead_fr = "Un chapeau corrigé."
        release.save()
        assert b"Un chapeau corrig\xc3\xa9." in client.get(self.RSS).content

    def test_renaming_an_issuer_rebuilds_the_entries_it_signs(self, client, listed):
        _release, ministry, _other = listed
        client.get(self.ATOM)
        ministry.name_fr = "Ministère de la Sécurité intérieure"
        ministry.save()
        assert "<name>Ministère de la Sécurité intérieure, Ministère de la Justice</name>" in (
            client.get(self.ATOM).content.decode()
        )

    def test_an_unpublished_release_leaves_the_feed_whatever_is_kept(self, client, listed):
        release, _ministry, _other = listed
        client.get(self.RSS)
        Release.objects.filter(pk=release.pk).update(status=Status.DRAFT)
        assert b"Annonce du jour" not in client.get(self.RSS).content

    def test_a_correction_of_the_title_shows_in_the_feed_at_the_next_request(self, client, listed):
        release, _ministry, _other = listed
        client.get(self.RSS)
        release = Release.objects.get(pk=release.pk)
        release.title_fr = "Annonce rectifiée"
        services.release_publish_correction(
            release=release, by=factories.user(superuser=True), major=False, internal_note="titre"
        )
        content = client.get(self.RSS).content.decode()
        assert "Annonce rectifiée" in content and "Annonce du jour" not in content


@pytest.fixture
def marie():
    ministry = factories.organisation(slug="maint", name_fr="Ministère des Affaires intérieures")
    person = factories.person(slug="marie", given_name="Marie", family_name="Dupont")
    appointment = factories.appointment(person_=person, role_=factories.role(ministry, title_fr="Ministre"))
    release = factories.release(organisations=[ministry], title_fr="Annonce de Marie")
    release.appointments.add(appointment)
    return person, ministry, appointment, release


@pytest.mark.usefixtures("page_cache_off")
class TestPersonPage:
    URL = "/fr/personnes/marie/"

    def test_the_profile_is_kept_and_shows_the_roles(self, client, marie):
        first, built = queries_for(client, self.URL)
        again, kept = queries_for(client, self.URL)
        assert again.content == first.content
        assert kept == 2, "whether the page is public, and the releases naming the person"
        assert built > kept
        html = again.content.decode()
        assert "Fonctions actuelles" in html and "Ministère des Affaires intérieures" in html
        assert "Annonce de Marie" in html and '"@type": "Person"' in html

    def test_an_ended_appointment_moves_to_past_roles(self, client, marie):
        _person, _ministry, appointment, _release = marie
        client.get(self.URL)
        appointment.ended_on = timezone.localdate() - timedelta(days=1)
        appointment.save()
        html = client.get(self.URL).content.decode()
        assert "Fonctions passées" in html and "Fonctions actuelles" not in html

    def test_renaming_the_organisation_rebuilds_the_roles(self, client, marie):
        _person, ministry, _appointment, _release = marie
        client.get(self.URL)
        ministry.name_fr = "Ministère de la Sécurité intérieure"
        ministry.save()
        assert "Ministère de la Sécurité intérieure</a>" in client.get(self.URL).content.decode()

    def test_an_edit_of_the_person_rebuilds_the_profile(self, client, marie):
        person, _ministry, _appointment, _release = marie
        client.get(self.URL)
        person.biography = "<p>Juriste de formation.</p>"
        person.save()
        assert "Juriste de formation." in client.get(self.URL).content.decode()

    def test_a_person_no_longer_named_publicly_has_no_page_whatever_is_kept(self, client, marie):
        _person, _ministry, _appointment, release = marie
        assert client.get(self.URL).status_code == 200
        # Unpublished without a signal (a bulk update): the kept profile is not what decides.
        Release.objects.filter(pk=release.pk).update(status=Status.DRAFT)
        assert client.get(self.URL).status_code == 404


def test_a_person_page_built_from_its_kept_profile_carries_its_tags(client, marie):
    person, ministry, _appointment, release = marie
    client.get("/fr/personnes/marie/")
    factories.release(title_fr="Autre annonce")  # purges "content" pages only, not the profile's tags
    client.cookies.clear()
    response = client.get("/fr/personnes/marie/?utm_source=lettre")  # another address: the page cache misses
    assert response["X-Page-Cache"] == "miss"
    tags = set(response["Cache-Tag"].split())
    assert {f"person:{person.pk}", f"organisation:{ministry.pk}", f"list:person:{person.pk}"} <= tags
    assert f"release:{release.pk}" in tags


@pytest.mark.usefixtures("page_cache_off")
class TestSearch:
    URL = "/fr/recherche/"

    def test_a_repeated_search_reads_its_ranked_results_snippets_and_people(self, client):
        person = factories.person(slug="leon-gloden", given_name="Léon", family_name="Gloden")
        release = factories.release(title_fr="Coopération policière", lead_fr="Léon Gloden en visite.")
        release.appointments.add(factories.appointment(person_=person))
        first, built = queries_for(client, self.URL, q="Gloden")
        again, kept = queries_for(client, self.URL, q="Gloden")
        assert again.content == first.content
        assert kept == 1, "only the page's releases, selected through public() by id"
        assert built > kept
        html = again.content.decode()
        assert "Coopération policière" in html and "<mark>Gloden</mark>" in html
        assert [found.slug for found in again.context["people"]] == ["leon-gloden"]

    def test_a_release_published_since_is_found(self, client):
        factories.release(title_fr="Coopération européenne")
        client.get(self.URL, {"q": "coopération"})
        factories.release(title_fr="Coopération transfrontalière")
        assert "Coopération transfrontalière" in client.get(self.URL, {"q": "coopération"}).content.decode()

    def test_a_scheduled_release_is_found_from_its_publication_time(self, client):
        at_1000 = datetime(2031, 3, 4, 10, 0, tzinfo=LUX)
        with time_machine.travel(at_1000 - timedelta(hours=2), tick=False):
            factories.release(title_fr="Coopération publiée", publish_at=at_1000 - timedelta(hours=1))
            factories.release(title_fr="Coopération sous embargo", status=Status.SCHEDULED, publish_at=at_1000)
        with time_machine.travel(at_1000 - timedelta(seconds=1), tick=False):
            html = client.get(self.URL, {"q": "coopération"}).content.decode()
            assert "Coopération publiée" in html and "sous embargo" not in html
        with time_machine.travel(at_1000, tick=False):
            assert "Coopération sous embargo" in client.get(self.URL, {"q": "coopération"}).content.decode()

    def test_an_edit_of_a_release_rebuilds_its_snippet(self, client):
        release = factories.release(title_fr="Annonce", lead_fr="La coopération avance.")
        client.get(self.URL, {"q": "coopération"})
        release = Release.objects.get(pk=release.pk)
        release.lead_fr = "La coopération recule."
        release.save()
        html = client.get(self.URL, {"q": "coopération"}).content.decode()
        assert "<mark>coopération</mark> recule" in html and "avance" not in html

    def test_a_release_unpublished_since_leaves_the_results_at_once(self, client):
        release = factories.release(title_fr="Coopération retirée")
        client.get(self.URL, {"q": "coopération"})
        # Even without a signal (a bulk update): the results are selected through public() by id.
        Release.objects.filter(pk=release.pk).update(status=Status.DRAFT)
        assert "Coopération retirée" not in client.get(self.URL, {"q": "coopération"}).content.decode()

    def test_renaming_a_person_found_rebuilds_the_people_found(self, client):
        person = factories.person(slug="leon-gloden", given_name="Léon", family_name="Gloden")
        factories.release().appointments.add(factories.appointment(person_=person))
        client.get(self.URL, {"q": "Gloden"})
        person.given_name = "Leo"
        person.save()
        assert "Leo Gloden" in client.get(self.URL, {"q": "Gloden"}).content.decode()


def test_a_search_page_carries_the_cache_tags_of_its_kept_parts(client):
    person = factories.person(slug="leon-gloden", given_name="Léon", family_name="Gloden")
    release = factories.release(title_fr="Coopération policière", lead_fr="Léon Gloden en visite.")
    release.appointments.add(factories.appointment(person_=person))
    client.get("/fr/recherche/", {"q": "Gloden"})
    factories.organisation()  # purges "choices": the page is built again from its kept parts
    response = client.get("/fr/recherche/", {"q": "Gloden"})
    assert response["X-Page-Cache"] == "miss"
    assert {"list:releases", f"release:{release.pk}", f"person:{person.pk}", "list:people"} <= set(
        response["Cache-Tag"].split()
    )


@pytest.mark.usefixtures("page_cache_off")
def test_a_correction_changes_the_search_results_at_the_next_request(client):
    release = factories.release(title_fr="Annonce", lead_fr="La coopération avance.")
    factories.release(title_fr="Autre", lead_fr="Rien à signaler.")
    assert "Annonce" in client.get("/fr/recherche/", {"q": "coopération"}).content.decode()
    assert "Aucun" in client.get("/fr/recherche/", {"q": "frontière"}).content.decode()
    release = Release.objects.get(pk=release.pk)
    release.lead_fr = "La frontière reste ouverte."
    services.release_publish_correction(
        release=release, by=factories.user(superuser=True), major=False, internal_note="chapeau"
    )
    found = client.get("/fr/recherche/", {"q": "frontière"}).content.decode()
    assert "<mark>frontière</mark>" in found
    assert "Annonce" not in client.get("/fr/recherche/", {"q": "coopération"}).content.decode()


@pytest.mark.usefixtures("page_cache_off")
def test_the_home_pages_ministries_are_kept_until_one_changes(client):
    ministry = factories.organisation(slug="maint", name_fr="Ministère des Affaires intérieures")
    assert "Ministère des Affaires intérieures" in client.get("/fr/").content.decode()
    ministry.name_fr = "Ministère de la Sécurité intérieure"
    ministry.save()
    html = client.get("/fr/").content.decode()
    assert "Ministère de la Sécurité intérieure" in html and "Affaires intérieures" not in html
    factories.organisation(slug="mjust", name_fr="Ministère de la Justice")
    assert "Ministère de la Justice" in client.get("/fr/").content.decode()


def test_the_release_pages_compiled_query_answers_like_public():
    """The release page's query, compiled once per process, finds exactly what public() finds: before,
    at and after publication, withdrawn, unpublished, by a slug in any language, on the right day only."""
    from releases.selectors import find_dated_release, public_dated_release

    at_1000 = datetime(2031, 3, 4, 10, 0, tzinfo=LUX)
    with time_machine.travel(at_1000 - timedelta(days=1), tick=False):
        scheduled = factories.release(status=Status.SCHEDULED, publish_at=at_1000, slug_de="geplant")
        published = factories.release(publish_at=at_1000 - timedelta(hours=1))
        withdrawn = factories.release(status=Status.WITHDRAWN, publish_at=at_1000 - timedelta(hours=2))
        unpublished = factories.release(
            publish_at=at_1000 - timedelta(hours=3), unpublish_at=at_1000 + timedelta(minutes=1)
        )
        draft = factories.release(status=Status.DRAFT, publish_at=at_1000 - timedelta(hours=4))
    cases = [(release.publish_at, release.slug_fr) for release in (scheduled, published, withdrawn, unpublished, draft)]
    cases += [(scheduled.publish_at, "geplant"), (published.publish_at - timedelta(days=1), published.slug_fr)]
    for moment in (at_1000 - timedelta(seconds=1), at_1000, at_1000 + timedelta(minutes=1)):
        with time_machine.travel(moment, tick=False):
            for publish_at, slug in cases:
                day = timezone.localtime(publish_at).date()
                expected = find_dated_release(Release.objects.public(), day, slug)
                found = public_dated_release(day, slug)
                assert (found.pk if found else None) == (expected.pk if expected else None), (moment, slug)
    with time_machine.travel(at_1000, tick=False):
        assert public_dated_release(timezone.localtime(at_1000).date(), "geplant").pk == scheduled.pk
        assert public_dated_release(timezone.localtime(draft.publish_at).date(), draft.slug_fr) is None


def upcoming_and_recent(html: str) -> tuple[str, str]:
    """The home page's meetings: those listed as upcoming, and the recent ones after them."""
    side = html.split('id="meetings-heading"')[1].split('id="ministries-heading"')[0]
    upcoming, _, recent = side.partition("Réunions récentes")
    return upcoming, recent


def test_the_home_pages_meetings_move_to_recent_when_one_ends_though_kept(client):
    """Kept with the page around them (no save happens, the page cache is on), an upcoming meeting is
    listed as upcoming until its end and as recent from the next second."""
    start = datetime(2026, 3, 2, 9, 0, tzinfo=LUX)
    with time_machine.travel(start, tick=False):
        public = {"status": Status.PUBLISHED, "publish_at": start - timedelta(days=30)}
        factories.meeting(
            title_fr="Conseil JAI",
            starts_at=start + timedelta(minutes=2),
            ends_at=start + timedelta(minutes=8),
            **public,
        )
        factories.meeting(title_fr="Visite bilatérale", starts_at=start - timedelta(days=3), **public)
        upcoming, recent = upcoming_and_recent(client.get("/fr/").content.decode())
        assert "Conseil JAI" in upcoming and "Visite bilatérale" in recent
    with time_machine.travel(start + timedelta(minutes=8, seconds=-1), tick=False):
        response = client.get("/fr/")
        assert response["X-Page-Cache"] == "hit"
        assert "Conseil JAI" in upcoming_and_recent(response.content.decode())[0]
        assert "s-maxage=1" in response["Cache-Control"]  # a CDN keeps it no longer than the meeting lasts
    with time_machine.travel(start + timedelta(minutes=8), tick=False):
        assert "Conseil JAI" in upcoming_and_recent(client.get("/fr/").content.decode())[0]
    with time_machine.travel(start + timedelta(minutes=8, seconds=1), tick=False):
        upcoming, recent = upcoming_and_recent(client.get("/fr/").content.decode())
        assert "Conseil JAI" not in upcoming and "Conseil JAI" in recent
        assert "Aucune réunion annoncée." in upcoming


def test_a_fragment_that_changes_by_itself_is_built_again_at_that_moment_and_so_is_its_page():
    built = []

    def build():
        built.append(1)
        pagecache.changes_at(1_000_100.0)
        return len(built)

    with pagecache.collecting_tags() as page:
        assert pagecache.cached_fragment("clock-bound", build, at=1_000_000.0) == 1
    assert page.changes_at == 1_000_100.0
    with pagecache.collecting_tags() as page:
        assert pagecache.cached_fragment("clock-bound", build, at=1_000_099.0) == 1  # kept, and says so
    assert page.changes_at == 1_000_100.0
    assert pagecache.cached_fragment("clock-bound", build, at=1_000_100.0) == 2


def test_of_many_fragments_only_the_one_that_changes_by_itself_is_built_again_at_that_moment():
    built = []

    def build(index):
        built.append(index)
        if index == 0:
            pagecache.changes_at(2_000_100.0)
        return f"{index}:{len(built)}"

    names = ["clock-bound-entry", "lasting-entry"]
    with pagecache.collecting_tags() as page:
        assert pagecache.cached_fragments(names, build, at=2_000_000.0) == ["0:1", "1:2"]
    assert page.changes_at == 2_000_100.0
    assert pagecache.cached_fragments(names, build, at=2_000_099.0) == ["0:1", "1:2"]
    assert pagecache.cached_fragments(names, build, at=2_000_100.0) == ["0:3", "1:2"]
