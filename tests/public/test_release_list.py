"""The release list: filters that combine, bookmarkable URLs, keyset pagination, bad input."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import Tag
from core.publication import Status
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("warm_sites")]

URL = "/fr/communiques/"


def titles(response):
    return [release.localized("title") for release in response.context["releases"]]


@pytest.fixture
def corpus():
    maint, justice = factories.organisation(slug="maint"), factories.organisation(slug="justice")
    gloden = factories.appointment(person_=factories.person(slug="leon-gloden"))
    meeting = factories.meeting(slug="jai", status=Status.PUBLISHED, publish_at=timezone.now() - timedelta(days=9))
    asile = Tag.objects.create(name="asile", name_fr="asile", slug="asile")
    now = timezone.now()
    a = factories.release(title_fr="A asile maint", organisations=[maint], publish_at=now - timedelta(days=3))
    a.tags.add(asile)
    a.appointments.add(gloden)
    b = factories.release(
        title_fr="B discours justice", organisations=[justice], kind="speech", publish_at=now - timedelta(days=2)
    )
    b.meeting = meeting
    b.save()
    c = factories.release(title_fr="C joint", organisations=[maint, justice], publish_at=now - timedelta(days=1))
    c.tags.add(asile)
    secret = factories.release(
        title_fr="Embargo", organisations=[maint], status=Status.SCHEDULED, publish_at=now + timedelta(days=1)
    )
    secret.tags.add(Tag.objects.create(name="secret", name_fr="secret", slug="secret"))
    return {"a": a, "b": b, "c": c}


def test_filters_combine(client, corpus):
    assert titles(client.get(URL)) == ["C joint", "B discours justice", "A asile maint"]
    assert titles(client.get(URL, {"organisation": "maint"})) == ["C joint", "A asile maint"]
    assert titles(client.get(URL, {"organisation": "maint", "tag": "asile"})) == ["C joint", "A asile maint"]
    assert titles(client.get(URL, {"organisation": "justice", "tag": "asile"})) == ["C joint"]
    assert titles(client.get(URL, {"kind": "speech"})) == ["B discours justice"]
    assert titles(client.get(URL, {"person": "leon-gloden"})) == ["A asile maint"]
    assert titles(client.get(URL, {"meeting": "jai"})) == ["B discours justice"]
    day = timezone.localdate() - timedelta(days=2)
    assert titles(client.get(URL, {"date_from": day.isoformat(), "date_to": day.isoformat()})) == ["B discours justice"]


def test_embargoed_content_is_not_offered_in_the_filters(client, corpus):
    response = client.get(URL)
    tags = dict(response.context["form"].fields["tag"].choices)
    assert "asile" in tags and "secret" not in tags
    assert "Embargo" not in response.content.decode()
    assert client.get(URL, {"tag": "secret"}).status_code == 400


@pytest.mark.parametrize(
    "params",
    [
        {"organisation": "nope"},
        {"kind": "poem"},
        {"tag": "unknown"},
        {"person": "nobody"},
        {"meeting": "never"},
        {"page": "-1"},
        {"page": "abc"},
        {"page": "0"},
        {"date_from": "2024-13-45"},
        {"date_from": "yesterday"},
        {"date_from": "2024-02-01", "date_to": "2024-01-01"},
        {"before": "garbage"},
        {"after": "1.2.3"},
        {"before": "99999999999999999999.1"},
        {"q": "x\x00y", "organisation": "nope"},
    ],
)
def test_bad_input_answers_400_with_a_readable_page(client, corpus, params):
    response = client.get(URL, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count("<h1") == 1 and 'href="#main-content"' in html


def test_page_past_the_end_is_404(client, corpus):
    assert client.get(URL, {"page": "2"}).status_code == 404
    assert client.get(URL, {"page": "500"}).status_code == 404
    # Beyond the pages served by offset at all (see releases.filters.MAX_PAGE): a bad request.
    assert client.get(URL, {"page": "99999"}).status_code == 400


@pytest.mark.parametrize(
    "url", ["/xx/communiques/", "/fr/communiques/2024/13/45/nope/", "/fr/communiques/type/poem/flux/rss/"]
)
def test_bad_paths_are_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert b"<h1" in response.content


def test_unknown_parameters_are_ignored(client, corpus):
    assert client.get(URL, {"utm_source": "newsletter"}).status_code == 200


def test_keyset_pagination_walks_every_release_once(client, db):
    now = timezone.now()
    org = factories.organisation()
    same_instant = now - timedelta(hours=5)
    for number in range(45):
        factories.release(
            title_fr=f"R{number:02d}",
            organisations=[org],
            publish_at=same_instant if number % 3 == 0 else now - timedelta(hours=number + 10),
        )
    seen, params, pages = [], {}, 0
    while True:
        response = client.get(URL, params)
        assert response.status_code == 200
        seen += titles(response)
        pages += 1
        page = response.context["page"]
        if not page.next_params:
            break
        params = page.next_params
    assert pages == 3
    assert len(seen) == 45 and len(set(seen)) == 45
    # Going back from the last page gives the previous page again.
    back = client.get(URL, response.context["page"].previous_params)
    assert len(titles(back)) == 20 and titles(back)[-1] == seen[39]


def test_offset_page_for_bookmarks(client, db):
    org = factories.organisation()
    for number in range(25):
        factories.release(organisations=[org], publish_at=timezone.now() - timedelta(hours=number + 1))
    response = client.get(URL, {"page": "2"})
    assert response.status_code == 200 and len(response.context["releases"]) == 5


def test_list_links_its_filtered_feeds(client, corpus):
    html = client.get(URL, {"organisation": "maint"}).content.decode()
    assert 'type="application/rss+xml"' in html
    assert "/fr/communiques/flux/rss/?organisation=maint" in html
    assert "/fr/communiques/flux/atom/?organisation=maint" in html


# --- People and meetings are typed, not picked among thousands of <option>s -------------------------


@pytest.fixture
def named(corpus):
    person = factories.person(slug="leon-gloden-2", given_name="Léon", family_name="Glodenberg")
    corpus["c"].appointments.add(factories.appointment(person_=person))
    gloden = corpus["a"].appointments.get().person
    gloden.given_name, gloden.family_name = "Léon", "Gloden"
    gloden.save()
    return corpus


def test_a_person_is_found_by_name_without_accents_or_case(client, named):
    assert titles(client.get(URL, {"person": "leon gloden"})) == ["A asile maint"]
    assert titles(client.get(URL, {"person": "  LÉON   GLODEN "})) == ["A asile maint"]
    # A part of a name is enough when only one person contains it.
    assert titles(client.get(URL, {"person": "glodenberg"})) == ["C joint"]


def test_an_ambiguous_or_unknown_name_is_a_readable_400(client, named):
    response = client.get(URL, {"person": "Léon"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Plusieurs personnes correspondent" in html and "Léon Gloden" in html and "Léon Glodenberg" in html
    response = client.get(URL, {"person": "Personne inconnue"})
    assert response.status_code == 400
    assert "Aucune personne citée ne correspond" in response.content.decode()


def test_a_meeting_is_found_by_title(client, named):
    meeting = named["b"].meeting
    assert titles(client.get(URL, {"meeting": meeting.title_fr.upper()})) == ["B discours justice"]


def test_people_and_meetings_are_text_boxes_showing_the_chosen_name(client, named):
    html = client.get(URL, {"person": "leon-gloden"}).content.decode()
    assert '<input type="text" name="person" value="Léon Gloden"' in html
    assert '<select name="person"' not in html and '<select name="meeting"' not in html
    # Organisations and tags stay lists; the chosen one is selected.
    html = client.get(URL, {"organisation": "maint"}).content.decode()
    assert '<option value="maint" selected>' in html and '<option value="justice">' in html


# --- The filter choices are built once per content version ------------------------------------------


def choice_queries(client, params=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL, params or {}).status_code == 200
    return len(captured)


def test_filter_choices_are_built_once_per_content_version(client, corpus, settings):
    settings.PAGE_CACHE_ENABLED = False  # every request renders; only the choices are kept
    first = choice_queries(client)
    assert choice_queries(client, {"kind": "speech"}) <= first - 4  # organisations, people, tags, meetings
    # Any saved change builds them again: a new public release's tag is offered at once.
    release = factories.release(title_fr="D nouveau", organisations=[factories.organisation(slug="neuve")])
    release.tags.add(Tag.objects.create(name="nouveau", name_fr="nouveau", slug="nouveau"))
    form = client.get(URL).context["form"]
    assert "nouveau" in dict(form.fields["tag"].choices)
    assert "neuve" in dict(form.fields["organisation"].choices)


def test_filter_choices_follow_publication_times(client, corpus, settings):
    import time_machine

    settings.PAGE_CACHE_ENABLED = False
    later = timezone.now() + timedelta(hours=2)
    scheduled = factories.release(
        title_fr="Programmé", organisations=[factories.organisation(slug="plus-tard")], publish_at=later
    )
    scheduled.status = Status.SCHEDULED
    scheduled.save()
    assert "plus-tard" not in dict(client.get(URL).context["form"].fields["organisation"].choices)
    assert client.get(URL, {"organisation": "plus-tard"}).status_code == 400
    with time_machine.travel(later, tick=False):
        assert "plus-tard" in dict(client.get(URL).context["form"].fields["organisation"].choices)
        assert titles(client.get(URL, {"organisation": "plus-tard"})) == ["Programmé"]
