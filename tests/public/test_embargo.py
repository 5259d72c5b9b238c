"""Before its publication time, nothing of a release shows on any public surface."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import Tag
from core.publication import Status
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def embargoed():
    person = factories.person(slug="only-embargoed", family_name="Zyxwvutsr")
    org = factories.organisation(slug="embargo-org")
    release = factories.release(
        title_fr="Annonce sous embargo zyxwvutsr",
        body_fr="<p>zyxwvutsr</p>",
        status=Status.SCHEDULED,
        publish_at=timezone.now() + timedelta(hours=2),
        organisations=[org],
    )
    release.appointments.add(factories.appointment(person_=person))
    release.tags.add(Tag.objects.create(name="embargo-theme", slug="embargo-theme"))
    return release


@pytest.mark.parametrize(
    "url",
    [
        "/fr/",
        "/fr/communiques/",
        "/fr/recherche/?q=zyxwvutsr",
        "/fr/communiques/flux/rss/",
        "/fr/communiques/flux/atom/",
        "/fr/organisations/embargo-org/",
        "/fr/organisations/embargo-org/flux/rss/",
        "/sitemap-releases.xml",
        "/api/v1/releases/",
        "/api/v1/releases/?q=zyxwvutsr",
    ],
)
def test_embargoed_release_leaks_nowhere(client, embargoed, url):
    response = client.get(url)
    assert response.status_code == 200
    assert b"annonce sous embargo" not in response.content.lower()


@pytest.mark.parametrize(
    "url",
    [
        "/fr/personnes/only-embargoed/",
        "/fr/personnes/only-embargoed/flux/rss/",
        "/fr/themes/embargo-theme/",
    ],
)
def test_pages_that_only_embargoed_content_would_fill_do_not_exist(client, embargoed, url):
    assert client.get(url).status_code == 404


def test_filter_choices_do_not_name_embargoed_people_or_tags(client, embargoed):
    form = client.get("/fr/communiques/").context["form"]
    assert "only-embargoed" not in dict(form.fields["person"].choices)
    assert "embargo-theme" not in dict(form.fields["tag"].choices)
    assert "embargo-org" not in dict(form.fields["organisation"].choices)


def test_it_appears_at_its_publication_time(client, embargoed, settings):
    import time_machine

    with time_machine.travel(embargoed.publish_at, tick=False):
        assert client.get("/fr/personnes/only-embargoed/").status_code == 200
        assert b"annonce sous embargo" in client.get("/fr/communiques/").content.lower()
