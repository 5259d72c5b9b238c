"""Query budgets: a release page costs at most 10 queries whatever it shows; a list page of 20, at most 8."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import Tag
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("warm_sites")]


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    """These count what rendering costs; the page cache has its own tests (test_page_cache.py)."""
    settings.PAGE_CACHE_ENABLED = False


def assert_queries_at_most(limit, client, url, **params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, url
    numbered = "\n".join(f"{n}. {query['sql']}" for n, query in enumerate(captured.captured_queries, 1))
    assert len(captured) <= limit, f"{url}: {len(captured)} queries (budget {limit}):\n{numbered}"
    print(f"{url} {params}: {len(captured)} queries")
    return len(captured)


def release_with(photos: int, people: int, tags: int = 5, organisations: int = 3):
    orgs = [factories.organisation() for _ in range(organisations)]
    release = factories.release(organisations=orgs, body_fr="<p>Texte</p>")
    release.appointments.set(
        [factories.appointment(role_=factories.role(orgs[0]), started_on=date(2020, 1, 1)) for _ in range(people)]
    )
    names = [factories.unique("theme") for _ in range(tags)]
    release.tags.set([Tag.objects.create(name=name, slug=name) for name in names])
    gallery = factories.gallery(photos=[factories.photo(caption_fr=f"Photo {n}") for n in range(photos)])
    release.gallery = gallery
    release.save()
    return release


@pytest.mark.parametrize(("photos", "people"), [(1, 1), (30, 1), (1, 10), (30, 10)])
def test_release_page_budget(client, photos, people):
    release = release_with(photos, people)
    count = assert_queries_at_most(10, client, release.get_absolute_url())
    # The same count whatever the numbers: nothing is fetched per photo, person, tag or organisation.
    small = release_with(1, 1, tags=1, organisations=1)
    assert count == assert_queries_at_most(10, client, small.get_absolute_url())


@pytest.fixture
def many_releases():
    orgs = [factories.organisation(slug=f"org-{n}") for n in range(3)]
    tag = Tag.objects.create(name="asile", slug="asile")
    person = factories.person(slug="marie")
    appointment = factories.appointment(person_=person)
    meeting = factories.meeting(slug="jai", status="published", publish_at=timezone.now() - timedelta(days=30))
    for n in range(45):
        release = factories.release(organisations=orgs, publish_at=timezone.now() - timedelta(hours=n + 1))
        release.tags.add(tag)
        release.appointments.add(appointment)
        release.meeting = meeting
        release.save()


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"organisation": "org-1", "tag": "asile", "person": "marie", "meeting": "jai", "kind": "communique"},
        {"q": "titre"},
        {"date_from": "2020-01-01", "date_to": "2030-01-01"},
        {"page": "2"},
    ],
)
def test_list_page_budget(client, many_releases, params):
    response_count = assert_queries_at_most(8, client, "/fr/communiques/", **params)
    assert response_count >= 1


def test_list_page_budget_after_a_cursor(client, many_releases):
    first = client.get("/fr/communiques/")
    assert_queries_at_most(8, client, "/fr/communiques/", **first.context["page"].next_params)


def test_home_and_tag_pages_stay_small(client, many_releases):
    from django.contrib.contenttypes.models import ContentType

    from media.models import Gallery
    from meetings.models import Meeting
    from releases.models import Release

    ContentType.objects.get_for_models(Release, Meeting, Gallery)  # looked up once per process, then kept
    assert_queries_at_most(8, client, "/fr/")
    assert_queries_at_most(9, client, "/fr/themes/asile/")


LISTS = [
    ("/fr/communiques/", {}),
    ("/fr/communiques/", {"organisation": "org-1", "tag": "asile", "person": "marie", "meeting": "jai"}),
    ("/fr/recherche/", {"q": "titre"}),
    ("/fr/themes/asile/", {}),
    ("/fr/personnes/marie/", {}),
    ("/fr/communiques/flux/rss/", {}),
]


@pytest.mark.parametrize(("url", "params"), LISTS)
def test_list_pages_cost_four_queries_fewer_once_the_filter_choices_are_built(client, many_releases, url, params):
    """The choices (organisations, people, tags, meetings of public releases) are built once per content
    version and language, then every list, filter, search, tag page and feed reuses them."""
    first = assert_queries_at_most(9, client, url, **params)
    assert client.get("/fr/communiques/", {"kind": "speech"}).status_code == 200  # builds them if not yet
    again = assert_queries_at_most(5, client, url, **params)
    assert again <= first
    # A list page of 20 releases with any filters, its entries kept rendered (with their issuers): the
    # releases, at most a headline query.
    if url == "/fr/communiques/":
        assert again == 1


@pytest.mark.parametrize(("photos", "people"), [(1, 1), (30, 10)])
def test_release_page_builds_its_article_once_per_content_version(client, photos, people):
    """First: the release's row, the next publication boundary, then, to build the article, the release
    with its meeting and gallery, its issuers, people, tags, major updates, visible gallery items and
    their renditions. Then only the release's row (is it still public?), until something changes."""
    release = release_with(photos, people)
    url = release.get_absolute_url()
    assert assert_queries_at_most(10, client, url) == 9
    assert assert_queries_at_most(1, client, url) == 1
    assert assert_queries_at_most(1, client, url, utm_source="newsletter") == 1
    release.tags.add(Tag.objects.create(name="nouveau-theme", slug="nouveau-theme"))
    response = client.get(url)
    assert "nouveau-theme" in response.content.decode()
