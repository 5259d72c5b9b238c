"""Editors see, before publication, on which sites a release (meeting, gallery) will appear, with their
addresses; "view on site" opens the canonical address."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.publication import Status
from tests import factories

pytestmark = pytest.mark.django_db

PORTAL, MAINT_HOST, MJUST_HOST = "gouvernement.lu", "maint.gouvernement.lu", "mjust.gouvernement.lu"


@pytest.fixture
def network(settings):
    settings.ALLOWED_HOSTS = [".gouvernement.lu"]
    settings.SITE_URL = "https://gouvernement.lu"
    settings.CANONICAL_SITE = "issuer"
    maint = factories.organisation(name_fr="Ministère des Affaires intérieures", acronym_fr="MAINT")
    mjust = factories.organisation(name_fr="Ministère de la Justice", acronym_fr="MJUST")
    other = factories.organisation(name_fr="Ministère sans site", acronym_fr="MSS")
    factories.site(None, hosts=[PORTAL], name_fr="Portail du gouvernement")
    factories.site(maint, hosts=[MAINT_HOST], name_fr="Ministère des Affaires intérieures")
    factories.site(mjust, hosts=[MJUST_HOST], name_fr="Ministère de la Justice")
    return {"maint": maint, "mjust": mjust, "other": other}


@pytest.fixture
def editor(client):
    client.force_login(factories.user("chief", superuser=True))
    return client


def appears_on(html: str) -> list[tuple[str, str, str]]:
    block = re.search(r'<ul class="appears-on">(.*?)</ul>', html, re.S)
    assert block, "no list of sites"
    return re.findall(r'<li><strong>([^<]+)</strong> — <a href="([^"]+)">[^<]+</a>([^<]*)</li>', block.group(1))


def change_page(client, obj, name):
    response = client.get(reverse(f"admin:{name}_change", args=[obj.pk]), HTTP_HOST=PORTAL)
    assert response.status_code == 200
    return response.content.decode()


def test_a_scheduled_joint_release_lists_the_portal_and_both_ministries_with_the_canonical_one(editor, network):
    release = factories.release(
        status=Status.SCHEDULED,
        publish_at=timezone.now() + timedelta(days=1),
        organisations=[network["mjust"], network["maint"]],
    )
    path = release.get_absolute_url()
    assert appears_on(change_page(editor, release, "releases_release")) == [
        ("Portail du gouvernement", f"https://{PORTAL}{path}", ""),
        ("Ministère de la Justice", f"https://{MJUST_HOST}{path}", " (adresse canonique)"),
        ("Ministère des Affaires intérieures", f"https://{MAINT_HOST}{path}", ""),
    ]


def test_a_draft_without_date_shows_the_sites_addresses(editor, network):
    release = factories.release(status=Status.DRAFT, organisations=[network["other"]])
    assert appears_on(change_page(editor, release, "releases_release")) == [
        ("Portail du gouvernement", f"https://{PORTAL}/", " (adresse canonique)"),
    ]


def test_view_on_site_opens_the_canonical_address_once_public(editor, network):
    release = factories.release(organisations=[network["maint"], network["mjust"]])
    html = change_page(editor, release, "releases_release")
    assert f'href="https://{MAINT_HOST}{release.get_absolute_url()}" class="viewsitelink"' in html


def test_view_on_site_of_a_draft_stays_on_the_editor_host(editor, network):
    release = factories.release(status=Status.DRAFT, organisations=[network["maint"]])
    html = change_page(editor, release, "releases_release")
    assert f'href="{release.get_absolute_url()}" class="viewsitelink"' in html


def test_the_add_form_says_when_the_sites_appear(editor, network):
    response = editor.get(reverse("admin:releases_release_add"), HTTP_HOST=PORTAL)
    assert "Les sites s&#x27;affichent ici une fois le contenu enregistré" in response.content.decode()


def test_meetings_and_galleries_list_their_sites_too(editor, network):
    now = timezone.now()
    meeting = factories.meeting(status=Status.PUBLISHED, publish_at=now)
    gallery = factories.gallery(status=Status.PUBLISHED, publish_at=now)
    factories.release(organisations=[network["maint"]], meeting=meeting, gallery=gallery)
    for obj, name in [(meeting, "meetings_meeting"), (gallery, "media_gallery")]:
        obj.refresh_from_db()
        html = change_page(editor, obj, name)
        path = obj.get_absolute_url()
        assert appears_on(html) == [
            ("Portail du gouvernement", f"https://{PORTAL}{path}", ""),
            ("Ministère des Affaires intérieures", f"https://{MAINT_HOST}{path}", " (adresse canonique)"),
        ]
        assert f'href="https://{MAINT_HOST}{path}" class="viewsitelink"' in html
