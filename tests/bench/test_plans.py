"""Every query of the main public pages and of the admin's release search can be served by an index.

The same check as ``bench/explain.py`` (which runs on 100,000 releases and fails on a sequential
scan of the releases table), on a small data set. On a few rows the planner rightly reads tables
whole, so the plans are taken with ``enable_seqscan = off``: a sequential scan that remains means
no index can serve the query, the mistake that makes a page slow at scale.
"""

import pytest
from django.db import connection

from bench import datagen
from bench.explain import busiest_person, busiest_tag, scanning_queries
from people.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_seqscan():
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET enable_seqscan")


@pytest.fixture
def generated(settings):
    settings.PAGE_CACHE_ENABLED = False
    datagen.generate(releases=40, people=20, organisations=3, tags=6, meetings=3, photos=1, batch=40, busy_people=1)
    return {
        "person": busiest_person().slug,
        "organisation": Organisation.objects.filter(slug__startswith=datagen.MARKER).order_by("slug").first().slug,
        "tag": busiest_tag(),
    }


PUBLIC_URLS = [
    "/fr/communiques/",
    "/fr/communiques/?page=2",
    "/fr/communiques/?kind=communique&organisation={organisation}",
    "/fr/communiques/?tag={tag}&person={person}",
    "/fr/communiques/?date_from=2020-01-01&date_to=2030-12-31",
    "/fr/recherche/?q=coopération+européenne",
    "/fr/communiques/?q=sécurité&organisation={organisation}",
    "/de/recherche/?q=Zusammenarbeit",
    "/en/recherche/?q=cooperation",
    "/lb/recherche/?q=Regierung",
    "/fr/personnes/{person}/",
    "/fr/organisations/{organisation}/",
    "/fr/themes/{tag}/",
    "/fr/",
    "/fr/communiques/flux/rss/",
]


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_page_queries_can_use_an_index(client, generated, no_seqscan, url):
    count, bad = scanning_queries(client, url.format(**generated))
    assert count > 0
    assert not bad, f"{url}: no index serves:\n" + "\n\n".join(bad)


@pytest.mark.parametrize("url", ["/admin/releases/release/", "/admin/releases/release/?q=coopération"])
def test_admin_change_list_queries_can_use_an_index(admin_client, generated, no_seqscan, url):
    count, bad = scanning_queries(admin_client, url)
    assert count > 0
    assert not bad, f"{url}: no index serves:\n" + "\n\n".join(bad)


def test_people_search_starts_from_the_name_indexes(client, generated, no_seqscan):
    """Only people whose name resembles the query are scored: the search reads the trigram indexes
    (full name, family name), not every person."""
    from bench.explain import captured_selects, explain, seq_scans

    selects = [
        sql_params
        for sql_params in captured_selects(client, "/fr/recherche/?q=Gloden")
        if "people_person" in sql_params[0]
    ]
    assert selects
    for sql, params in selects:
        assert not seq_scans(explain(sql, params, analyze=False)["Plan"], "people_person"), sql
