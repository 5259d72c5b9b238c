"""The benchmark data generator writes realistic, consistent rows that the public pages can show."""

import pytest
from django.db.models import Count

from bench import datagen
from releases.models import Release

pytestmark = pytest.mark.django_db


def test_generated_releases_have_the_documented_shape(client):
    counts = datagen.generate(
        releases=60, people=30, organisations=5, tags=20, meetings=5, photos=3, batch=25, busy_people=0
    )
    assert counts["releases"] == 60
    releases = Release.objects.filter(slug_fr__startswith=datagen.MARKER).annotate(
        n_orgs=Count("issuers", distinct=True), n_people=Count("appointments", distinct=True)
    )
    assert releases.count() == 60
    for release in releases:
        assert 1 <= release.n_orgs <= 3
        assert 1 <= release.n_people <= 10
        assert 300 <= len(release.body_fr.split()) <= 800 + 20  # words, plus paragraph tags
        assert release.is_public()
    french_only = sum(1 for release in releases if release.translated_languages == ["fr"])
    assert 25 <= french_only <= 55  # about 70 % of 60
    sample = releases.exclude(gallery=None).first()
    assert client.get(sample.get_absolute_url()).status_code == 200


def test_busy_people_are_named_in_a_few_percent_of_the_releases():
    datagen.generate(releases=400, people=200, organisations=3, tags=5, meetings=2, photos=1, batch=150, busy_people=2)
    mentions = (
        Release.appointments.through.objects.values("appointment__person__slug").annotate(n=Count("id")).order_by("-n")
    )
    top = {row["appointment__person__slug"]: row["n"] for row in mentions[:2]}
    # 5 % and 4 % of 400 on top of their share of the ordinary mentions (about 11 each here).
    assert set(top) == {f"{datagen.MARKER}person-0", f"{datagen.MARKER}person-1"}
    assert all(n >= 20 for n in top.values()), top
    assert max(Release.objects.annotate(n=Count("appointments")).values_list("n", flat=True)) <= 10 + 2


def test_clear_removes_what_was_generated():
    datagen.generate(releases=5, people=5, organisations=2, tags=3, meetings=2, photos=1, batch=5)
    datagen.clear()
    assert not Release.objects.filter(slug_fr__startswith=datagen.MARKER).exists()


def test_the_first_ministries_get_a_site_each_and_meetings_and_galleries_their_organisations(client, settings):
    from meetings.models import Meeting
    from sites.directory import directory
    from sites.models import Site

    settings.ALLOWED_HOSTS = [".localhost", "localhost"]
    counts = datagen.generate(
        releases=60, people=20, organisations=4, tags=5, meetings=6, photos=1, batch=30, busy_people=0, sites=2
    )
    assert counts["sites"] == 2
    ministry_sites = Site.objects.exclude(organisation=None).order_by("organisation__slug")
    assert [site.hosts.get().host for site in ministry_sites] == [
        f"{datagen.MARKER}org-0.localhost",
        f"{datagen.MARKER}org-1.localhost",
    ]
    assert Site.objects.filter(organisation=None, hosts__host="localhost").exists()
    for meeting in Meeting.objects.filter(slug__startswith=datagen.MARKER).exclude(releases=None):
        issuers = set(
            Release.objects.filter(meeting=meeting).values_list("issuers__organisation", flat=True).distinct()
        )
        assert set(meeting.organisation_ids) == issuers
    for release in Release.objects.exclude(gallery=None)[:10]:
        assert set(release.organisation_ids) <= set(release.gallery.organisation_ids)
    directory()
    site = ministry_sites[0]
    carried = Release.objects.public().on_site(site).count()
    assert 0 < carried < 60
    response = client.get("/api/v1/releases/", HTTP_HOST=f"{datagen.MARKER}org-0.localhost")
    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} <= set(
        Release.objects.on_site(site).values_list("pk", flat=True)
    )
    datagen.clear()
    assert not Site.objects.exists()
