"""Three sites over one database: the portal, the Ministry of Home Affairs' (MAINT) and the Ministry of
Justice's (MJUST); a third ministry (FOO) has no site. Releases issued by MAINT alone, by MAINT and
MJUST jointly, by FOO alone ("neither") and by the police, an administration under MAINT."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import Tag
from core.publication import Status
from tests import factories

HOSTS = {"portal": "gouvernement.lu", "maint": "maint.gouvernement.lu", "mjust": "mjust.gouvernement.lu"}


@dataclass
class Network:
    organisations: dict = field(default_factory=dict)
    sites: dict = field(default_factory=dict)
    releases: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)
    meetings: dict = field(default_factory=dict)
    galleries: dict = field(default_factory=dict)
    tags: dict = field(default_factory=dict)


@pytest.fixture
def network(db, settings):
    settings.ALLOWED_HOSTS = [".gouvernement.lu", "testserver"]
    made = Network()
    orgs = made.organisations
    orgs["maint"] = factories.organisation(
        slug="maint", name_fr="Ministère des Affaires intérieures", acronym_fr="MAINT"
    )
    orgs["mjust"] = factories.organisation(slug="mjust", name_fr="Ministère de la Justice", acronym_fr="MJUST")
    orgs["foo"] = factories.organisation(slug="foo", name_fr="Ministère Foo", acronym_fr="FOO")
    orgs["police"] = factories.organisation(slug="police", name_fr="Police grand-ducale", parent=orgs["maint"])
    made.sites["portal"] = factories.site(None, hosts=[HOSTS["portal"]], name_fr="Portail")
    made.sites["maint"] = factories.site(orgs["maint"], hosts=[HOSTS["maint"]])
    made.sites["mjust"] = factories.site(orgs["mjust"], hosts=[HOSTS["mjust"]])
    for site in made.sites.values():
        site.refresh_from_db()

    # Each release names its own person and carries its own tag and gallery; the words are unique.
    issuers = {
        "alone": [orgs["maint"]],
        "joint": [orgs["maint"], orgs["mjust"]],
        "neither": [orgs["foo"]],
        "sub": [orgs["police"]],
    }
    for n, (name, organisations) in enumerate(issuers.items()):
        person = factories.person(slug=f"personne-{name}", given_name="Paul", family_name=f"Zorglub{name.title()}")
        gallery = factories.gallery(
            [factories.photo(caption_fr=f"Photo {name}")],
            slug=f"galerie-{name}",
            status=Status.PUBLISHED,
            publish_at=timezone.now() - timedelta(days=3),
        )
        release = factories.release(
            organisations=organisations,
            slug_fr=f"communique-{name}",
            title_fr=f"Titre Kwz{name}",
            lead_fr=f"Chapeau Kwz{name} ornithorynque",
            title_de=f"Titel Kwz{name}",
            slug_de=f"mitteilung-{name}",
            body_fr=f"<p>Texte frqtomb{name}</p>",
            publish_at=timezone.now() - timedelta(hours=n + 1),
            gallery=gallery,
        )
        release.appointments.add(factories.appointment(person, factories.role(organisations[0])))
        tag = Tag.objects.create(name=f"theme-{name}", slug=f"theme-{name}")
        release.tags.add(tag)
        made.releases[name], made.people[name], made.galleries[name], made.tags[name] = release, person, gallery, tag

    # A gallery no release carries: only the portal has it.
    made.galleries["loose"] = factories.gallery(
        slug="galerie-loose", status=Status.PUBLISHED, publish_at=timezone.now() - timedelta(days=3)
    )
    # MAINT's minister, named only in FOO's release: a person of MAINT's own, shown on its site.
    made.people["minister"] = factories.person(slug="ministre-maint", family_name="Ministremaint")
    minister = factories.appointment(made.people["minister"], factories.role(orgs["maint"]))
    made.releases["neither"].appointments.add(minister)

    # Meetings: hosted by MAINT; with an MJUST participant; hosted by FOO but the subject of MJUST's
    # release; hosted by FOO with nobody else.
    public = {"status": Status.PUBLISHED, "publish_at": timezone.now() - timedelta(days=2)}
    made.meetings["hosted"] = factories.meeting(slug="reunion-hosted", host=orgs["maint"], **public)
    made.meetings["participant"] = factories.meeting(slug="reunion-participant", **public)
    made.meetings["participant"].participations.create(
        appointment=factories.appointment(role_=factories.role(orgs["mjust"])), position=1
    )
    made.meetings["about"] = factories.meeting(slug="reunion-about", host=orgs["foo"], **public)
    about = factories.release(
        organisations=[orgs["mjust"]],
        slug_fr="communique-about",
        title_fr="Titre Kwzabout",
        lead_fr="Chapeau ornithorynque",
        meeting=made.meetings["about"],
    )
    made.releases["about"] = about
    made.meetings["foo"] = factories.meeting(slug="reunion-foo", host=orgs["foo"], **public)
    for meeting in made.meetings.values():
        meeting.refresh_from_db()
    for gallery in made.galleries.values():
        gallery.refresh_from_db()

    from sites.directory import directory

    directory()
    return made


#: What each site carries, by the names above.
CARRIED_RELEASES = {
    "portal": {"alone", "joint", "neither", "sub", "about"},
    "maint": {"alone", "joint", "sub"},
    "mjust": {"joint", "about"},
}
CARRIED_MEETINGS = {
    "portal": {"hosted", "participant", "about", "foo"},
    "maint": {"hosted"},
    "mjust": {"participant", "about"},
}
CARRIED_GALLERIES = {
    "portal": {"alone", "joint", "neither", "sub", "loose"},
    "maint": {"alone", "joint", "sub"},
    "mjust": {"joint"},
}
