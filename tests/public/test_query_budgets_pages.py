"""Query budgets of the person, organisation, meeting, tag and gallery pages, the feeds and the API.

Each page is built twice, small (one of everything) and large (many releases, photos, people,
participants): the count must stay under the budget and be the same for both. The page cache is
off here: these count what a page costs to render.
"""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import Tag
from core.publication import Status
from media.models import PhotoPerson
from meetings.models import Participation
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("warm_sites")]


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.PAGE_CACHE_ENABLED = False


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def build(size: int, name: str):
    """A person, organisation, tag, meeting and gallery, each with ``size`` of what they show."""
    org = factories.organisation(slug=f"org-{name}")
    person = factories.person(slug=f"person-{name}")
    role = factories.role(org)
    appointment = factories.appointment(person_=person, role_=role, started_on=date(2020, 1, 1))
    tag = Tag.objects.create(name=f"theme {name}", slug=f"theme-{name}")
    meeting = factories.meeting(
        slug=f"meeting-{name}", status=Status.PUBLISHED, publish_at=timezone.now() - timedelta(days=2)
    )
    meeting.tags.add(tag)
    for position in range(1, size + 1):
        extra = factories.appointment(role_=factories.role(org))
        Participation.objects.create(meeting=meeting, appointment=extra, position=position)
    photos = [factories.photo(caption_fr=f"Photo {n}") for n in range(size)]
    for photo in photos:
        PhotoPerson.objects.create(photo=photo, appointment=appointment, position=1)
    gallery = factories.gallery(
        slug=f"gallery-{name}", photos=photos, status=Status.PUBLISHED, publish_at=timezone.now() - timedelta(days=1)
    )
    releases = []
    for n in range(size):
        release = factories.release(organisations=[org], publish_at=timezone.now() - timedelta(hours=n + 1))
        release.appointments.add(appointment)
        release.tags.add(tag)
        release.meeting = meeting
        release.gallery = gallery
        release.save()
        releases.append(release)
    for _ in range(size):  # more people in the organisation
        factories.appointment(role_=factories.role(org))
    return {
        "person": f"/fr/personnes/person-{name}/",
        "organisation": f"/fr/organisations/org-{name}/",
        "tag": f"/fr/themes/theme-{name}/",
        "meeting": f"/fr/reunions/meeting-{name}/",
        "gallery": f"/fr/galeries/gallery-{name}/",
        "gallery-list": "/fr/galeries/",
        "agenda": "/fr/reunions/",
        "person-feed": f"/fr/personnes/person-{name}/flux/rss/",
        "organisation-feed": f"/fr/organisations/org-{name}/flux/atom/",
        "tag-feed": f"/fr/themes/theme-{name}/flux/rss/",
        "release-feed": "/fr/communiques/flux/rss/",
        "api-releases": "/api/v1/releases/",
        "api-release": f"/api/v1/releases/{releases[0].pk}/",
        "api-people": "/api/v1/people/",
        "api-organisations": "/api/v1/organisations/",
        "api-meetings": "/api/v1/meetings/",
        "api-meeting": f"/api/v1/meetings/meeting-{name}/",
        "sitemap": "/sitemap-releases.xml",
    }


#: The most each page may cost, whatever it shows.
BUDGETS = {
    "person": 8,
    "organisation": 7,
    "tag": 9,
    "meeting": 8,
    "gallery": 5,
    "gallery-list": 4,
    "agenda": 3,
    "person-feed": 4,
    "organisation-feed": 4,
    "tag-feed": 4,
    "release-feed": 7,
    "api-releases": 8,
    "api-release": 9,
    "api-people": 3,
    "api-organisations": 2,
    "api-meetings": 2,
    "api-meeting": 4,
    "sitemap": 2,
}


@pytest.fixture
def small_and_large():
    return build(1, "small"), build(30, "large")


@pytest.mark.parametrize("page", list(BUDGETS))
def test_page_budget_is_fixed_whatever_the_data(client, small_and_large, page):
    small, large = small_and_large
    client.get(small[page])  # once-per-process look-ups (content types) are not the page's cost
    # The first request builds the fragments a page keeps (its list entries): within the budget too.
    first = count_queries(client, large[page])
    assert first <= BUDGETS[page], f"{page}: {first} queries on the first request, budget {BUDGETS[page]}"
    small_count = count_queries(client, small[page])
    large_count = count_queries(client, large[page])
    print(f"{page}: {small_count} queries (small), {large_count} (large), {first} (large, first request)")
    assert large_count <= BUDGETS[page], f"{page}: {large_count} queries, budget {BUDGETS[page]}"
    assert large_count == small_count, f"{page}: {small_count} queries small, {large_count} large"
