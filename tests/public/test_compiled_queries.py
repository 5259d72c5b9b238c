"""Queries compiled once per process (``core.compiled``) answer exactly as the querysets they come from."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models import Count
from django.db.models.functions import Upper

from core.compiled import compile_queryset
from core.publication import Status
from people.models import Person
from releases.models import Release
from tests import factories
from website.selectors import person_at, public_releases_naming

pytestmark = pytest.mark.django_db
LUX = ZoneInfo("Europe/Luxembourg")


def test_a_person_is_found_by_slug_with_the_ids_of_their_appointments():
    person = factories.person(slug="anne-calteux")
    appointments = {factories.appointment(person_=person).pk for _ in range(3)}
    factories.appointment()  # someone else's
    found = person_at("anne-calteux")
    assert found == person and found.family_name == person.family_name
    assert sorted(found.appointment_ids) == sorted(appointments)
    assert person_at("nobody-of-that-name") is None


def test_a_persons_releases_are_those_public_naming_them_on_the_site_newest_first():
    """Before, at and after a scheduled publication, on the portal and on a site of two organisations:
    the compiled query finds what ``public().on_site()`` finds, in the same order, up to the limit."""
    at_1000 = datetime(2031, 3, 4, 10, 0, tzinfo=LUX)
    ministry, directorate, other = (factories.organisation() for _ in range(3))
    directorate.parent = ministry
    directorate.save()
    ministry_site = factories.site(ministry)
    ministry_site.refresh_from_db()
    assert len(ministry_site.organisation_ids) == 2
    person = factories.person()
    first, second = factories.appointment(person_=person), factories.appointment(person_=person)
    with time_machine.travel(at_1000 - timedelta(days=1), tick=False):
        releases = [
            factories.release(status=Status.SCHEDULED, publish_at=at_1000, organisations=[directorate]),
            factories.release(publish_at=at_1000 - timedelta(hours=1), organisations=[other]),
            factories.release(publish_at=at_1000 - timedelta(hours=1), organisations=[ministry]),
            factories.release(status=Status.DRAFT, publish_at=at_1000 - timedelta(hours=2), organisations=[ministry]),
            factories.release(
                publish_at=at_1000 - timedelta(hours=3),
                unpublish_at=at_1000 + timedelta(minutes=1),
                organisations=[ministry, other],
            ),
            factories.release(publish_at=at_1000 - timedelta(hours=4), organisations=[ministry]),
        ]
    for n, release in enumerate(releases):
        release.appointments.add(first if n % 2 else second)
    releases[-1].appointments.add(factories.appointment())  # named beside someone else
    answers = set()
    for moment in (at_1000 - timedelta(seconds=1), at_1000, at_1000 + timedelta(minutes=1)):
        with time_machine.travel(moment, tick=False):
            for site in (None, ministry_site):
                cases = (([first.pk], 20), ([first.pk, second.pk], 20), ([second.pk, first.pk], 2))
                for appointment_ids, limit in cases:
                    expected = list(
                        Release.objects.public()
                        .on_site(site)
                        .filter(appointments__in=appointment_ids)
                        .distinct()
                        .order_by("-publish_at", "-id")
                        .values_list("pk", flat=True)[:limit]
                    )
                    found = public_releases_naming(appointment_ids, site, limit=limit)
                    assert [release.pk for release in found] == expected, (moment, site, appointment_ids)
                    assert all(release.publish_at for release in found)
                    answers.add(tuple(expected))
    assert len(answers) >= 6, "the cases should tell the moments, sites and limits apart"
    assert public_releases_naming([], None) == []


def test_a_query_that_cannot_be_kept_compiled_is_refused():
    with pytest.raises(RuntimeError, match="missing"):
        compile_queryset(Person.objects.filter(slug="anne"), {"slug": "\x00stand-in"})
    with pytest.raises(RuntimeError, match="relations"):
        compile_queryset(Release.objects.select_related("meeting").filter(slug_fr="x"), {"slug": "x"})
    with pytest.raises(RuntimeError, match="convert"):
        compile_queryset(Person.objects.filter(slug="x").annotate(n=Count("appointments")), {"slug": "x"})
    with pytest.raises(RuntimeError, match="cannot place"):
        compile_queryset(Person.objects.filter(slug="x").extra(select={"one": "1"}), {"slug": "x"})


def test_a_compiled_query_makes_the_rows_the_orm_would_make():
    person = factories.person(slug="kept", given_name="Léon", family_name="Gloden")
    factories.appointment(person_=person)
    queryset = Person.objects.filter(slug="\x00slug").annotate(shouted=Upper("family_name"))
    compiled = compile_queryset(queryset, {"slug": "\x00slug"})
    [found] = compiled.instances({"slug": "kept"})
    assert isinstance(found, Person) and found.pk == person.pk
    assert (found.given_name, found.family_name, found.shouted) == ("Léon", "Gloden", "GLODEN")
    assert found._state.adding is False and found._state.db == compiled.alias


def test_the_public_lists_compiled_query_answers_like_the_orms():
    """Every filter, alone and together, on the portal and on a ministry's site, on the first page, a
    numbered page and either side of a cursor: the same releases and the same links as ``paginate``."""
    from core.models import Tag
    from releases.selectors import filter_releases, light_rows, paginate, public_list_page

    at_1000 = datetime(2031, 3, 4, 10, 0, tzinfo=LUX)
    ministry, other = factories.organisation(), factories.organisation()
    ministry_site = factories.site(ministry)
    ministry_site.refresh_from_db()
    person = factories.person(slug="named")
    appointments = [factories.appointment(person_=person) for _ in range(2)]
    tag = Tag.objects.create(name="asile", slug="asile")
    meeting = factories.meeting(slug="conseil")
    with time_machine.travel(at_1000 - timedelta(days=2), tick=False):
        releases = []
        for n in range(14):
            release = factories.release(
                publish_at=at_1000 - timedelta(hours=n // 2),  # two at each instant: ties broken by id
                status=Status.SCHEDULED if n == 0 else Status.PUBLISHED,
                kind=Release.Kind.COMMUNIQUE if n % 3 else Release.Kind.SPEECH,
                organisations=[ministry] if n % 2 else [other],
                meeting=meeting if n % 4 == 0 else None,
            )
            if n % 3 != 1:
                release.appointments.add(appointments[n % 2])
            if n % 5 != 2:
                release.tags.add(tag)
            releases.append(release)
    day = at_1000.date()
    filter_sets = [
        {},
        {"kind": "communique"},
        {"organisation": ministry.slug},
        {"person": "named"},
        {"tag": "asile"},
        {"meeting": "conseil"},
        {"date_from": day - timedelta(days=1), "date_to": day},
        {"kind": "communique", "organisation": ministry.slug, "person": "named", "tag": "asile"},
        {"organisation": "nobody"},
    ]
    cursor = encode_cursor_of(releases[5])
    positions = [{}, {"page": 2}, {"before": cursor}, {"after": cursor}]
    with time_machine.travel(at_1000, tick=False):
        shown = set()
        for site in (None, ministry_site):
            for filters in filter_sets:
                for position in positions:
                    queryset = filter_releases(Release.objects.public().on_site(site), filters, site)
                    expected = page_or_404(paginate, light_rows(queryset), position, per_page=3)
                    found = page_or_404(public_list_page, filters, position, site, per_page=3)
                    assert found == expected, (site, filters, position)
                    shown.add(expected[0])
    assert len(shown) > 10, "the cases should show different pages"


def encode_cursor_of(release) -> str:
    from releases.filters import encode_cursor

    return encode_cursor(release)


def page_or_404(make, *args, **kwargs) -> tuple:
    """A page as what it shows: the releases' ids and its links; or 404."""
    from django.http import Http404

    try:
        page = make(*args, **kwargs)
    except Http404:
        return ("404", None, None, None)
    return (tuple(release.pk for release in page.items), page.number, page.next_params, page.previous_params)
