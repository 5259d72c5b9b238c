"""The query budgets hold on a ministry's site too: the site's selection is a condition on the stored
``organisation_ids`` of the rows already read (no join, no query more). The same pages and data as
tests/public/test_query_budgets*.py, asked at a ministry site's host."""

from __future__ import annotations

import pytest
from django.test import Client

from people.models import Organisation
from sites.directory import directory
from tests import factories
from tests.public import test_query_budgets as lists
from tests.public import test_query_budgets_pages as pages
from tests.public.test_query_budgets import assert_queries_at_most, many_releases  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("warm_sites")]


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.PAGE_CACHE_ENABLED = False
    settings.ALLOWED_HOSTS = [".gouvernement.lu", "testserver"]


def ministry_client(organisation: Organisation) -> Client:
    """A client asking at the host of ``organisation``'s own site (made here), with a portal beside it."""
    host = f"{organisation.slug}.gouvernement.lu"
    factories.site(organisation, hosts=[host])
    if not directory().portal_id:
        factories.site(None, hosts=["gouvernement.lu"])
    directory()  # as a running process holds it
    return Client(HTTP_HOST=host)


@pytest.mark.parametrize(("photos", "people"), [(1, 1), (30, 1), (1, 10), (30, 10)])
def test_release_page_budget_on_a_ministry_site(photos, people):
    release = lists.release_with(photos, people)
    client = ministry_client(release.issuers.first().organisation)
    count = assert_queries_at_most(10, client, release.get_absolute_url())
    # The article kept, next time: only the release's row (is it public, and on this site?).
    assert assert_queries_at_most(1, client, release.get_absolute_url()) == 1
    small = lists.release_with(1, 1, tags=1, organisations=1)
    other = ministry_client(small.issuers.first().organisation)
    assert count == assert_queries_at_most(10, other, small.get_absolute_url())


@pytest.fixture
def ministry(many_releases):  # noqa: F811
    return ministry_client(Organisation.objects.get(slug="org-0"))


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
def test_list_page_budget_on_a_ministry_site(ministry, params):
    assert assert_queries_at_most(8, ministry, "/fr/communiques/", **params) >= 1


def test_list_page_budget_after_a_cursor_on_a_ministry_site(ministry):
    first = ministry.get("/fr/communiques/")
    assert len(first.context["releases"]) == 20
    assert_queries_at_most(8, ministry, "/fr/communiques/", **first.context["page"].next_params)


def test_home_and_tag_pages_stay_small_on_a_ministry_site(ministry):
    from django.contrib.contenttypes.models import ContentType

    from media.models import Gallery
    from meetings.models import Meeting
    from releases.models import Release

    ContentType.objects.get_for_models(Release, Meeting, Gallery)
    assert_queries_at_most(8, ministry, "/fr/")
    assert_queries_at_most(9, ministry, "/fr/themes/asile/")


@pytest.mark.parametrize(("url", "params"), lists.LISTS)
def test_list_pages_reuse_the_sites_filter_choices(ministry, url, params):
    first = assert_queries_at_most(9, ministry, url, **params)
    assert ministry.get("/fr/communiques/", {"kind": "speech"}).status_code == 200
    again = assert_queries_at_most(5, ministry, url, **params)
    assert again <= first
    # The site's list with its entries kept rendered: the releases only, as on the portal.
    if url == "/fr/communiques/":
        assert again == 1


@pytest.mark.parametrize("page", list(pages.BUDGETS))
def test_page_budget_is_fixed_whatever_the_data_on_a_ministry_site(page):
    small, large = pages.build(1, "small"), pages.build(30, "large")
    small_client = ministry_client(Organisation.objects.get(slug="org-small"))
    large_client = ministry_client(Organisation.objects.get(slug="org-large"))
    small_client.get(small[page])  # once-per-process look-ups and each site's filter choices
    large_client.get(large[page])
    small_count = pages.count_queries(small_client, small[page])
    large_count = pages.count_queries(large_client, large[page])
    print(f"{page}: {small_count} queries (small), {large_count} (large)")
    assert large_count <= pages.BUDGETS[page], f"{page}: {large_count} queries, budget {pages.BUDGETS[page]}"
    assert large_count == small_count, f"{page}: {small_count} queries small, {large_count} large"
