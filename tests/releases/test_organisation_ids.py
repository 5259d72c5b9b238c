"""A release's ``organisation_ids`` (derived, indexed) follow its issuers however they change."""

import pytest

from releases.models import Release, ReleaseOrganisation
from tests import factories

pytestmark = pytest.mark.django_db


def stored(release) -> list[int]:
    return Release.objects.values_list("organisation_ids", flat=True).get(pk=release.pk)


def titles(response) -> list[str]:
    return [release.localized("title") for release in response.context["releases"]]


def test_organisation_ids_follow_issuers_added_removed_and_reordered():
    a, b = factories.organisation(slug="ministere-a"), factories.organisation(slug="ministere-b")
    release = factories.release(organisations=[a])
    assert stored(release) == [a.pk]
    ReleaseOrganisation.objects.create(release=release, organisation=b, position=2)
    assert stored(release) == [a.pk, b.pk]
    ReleaseOrganisation.objects.filter(release=release, organisation=a).delete()
    assert stored(release) == [b.pk]
    # A stale copy in memory saved again does not bring the old value back.
    stale = Release.objects.get(pk=release.pk)
    stale.organisation_ids = [a.pk]
    stale.save()
    assert stored(release) == [b.pk]


def test_the_organisation_filter_and_page_list_a_release_as_soon_as_it_is_issued(client, settings):
    settings.PAGE_CACHE_ENABLED = False
    a, b = factories.organisation(slug="ministere-a"), factories.organisation(slug="ministere-b")
    release = factories.release(title_fr="Conjoint", organisations=[a])
    factories.release(title_fr="Autre", organisations=[a])
    assert titles(client.get("/fr/communiques/", {"organisation": "ministere-b"})) == []
    ReleaseOrganisation.objects.create(release=release, organisation=b, position=2)
    assert titles(client.get("/fr/communiques/", {"organisation": "ministere-b"})) == ["Conjoint"]
    assert titles(client.get("/fr/organisations/ministere-b/")) == ["Conjoint"]
    assert sorted(titles(client.get("/fr/communiques/", {"organisation": "ministere-a", "q": "conjoint"}))) == [
        "Conjoint"
    ]
