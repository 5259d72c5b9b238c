"""Central editors keep the sites in the admin: bad input gets a form error that keeps what was typed,
and nothing is half-saved."""

import pytest
from django.urls import reverse

from sites.models import Site, SiteHost, contrast_with_white
from tests import factories
from tests.admin.test_admin_bad_input import management_form
from tests.publication.conftest import CENTRAL_EDITOR, EDITOR, ensure_editorial_groups, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(factories.user(superuser=True))
    return client


def site_post(organisation=None, host="maint.gouvernement.lu", **fields):
    data = {
        "name_fr": "Ministère des Affaires intérieures",
        "short_name_fr": "MAINT",
        "organisation": str(organisation.pk) if organisation else "",
        "accent_colour": "#7A1F5C",
        **management_form("hosts", total=1),
        "hosts-0-host": host,
        "hosts-0-position": "1",
        **management_form("links"),
    }
    data.update(fields)
    return data


def test_a_site_is_saved_with_its_host_and_organisation_tree(admin_client):
    maint = factories.organisation(slug="maint")
    police = factories.organisation(parent=maint)
    response = admin_client.post(reverse("admin:sites_site_add"), site_post(maint))
    assert response.status_code == 302, response.content.decode()[:2000]
    site = Site.objects.get()
    assert [host.host for host in site.hosts.all()] == ["maint.gouvernement.lu"]
    assert site.organisation_ids == sorted([maint.pk, police.pk])


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"accent_colour": "#FFD700"}, "il faut au moins 4,5:1"),  # gold on white: 1.4:1
        ({"accent_colour": "rouge"}, "hexadécimal"),
        ({"hosts-0-host": "https://maint.gouvernement.lu/"}, "sans « https:// »"),
        ({"hosts-0-host": "maint.gouvernement.lu:8000"}, "sans port"),
        ({"hosts-0-host": ""}, "Ce champ est obligatoire"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_kept(admin_client, fields, message):
    maint = factories.organisation()
    response = admin_client.post(reverse("admin:sites_site_add"), site_post(maint, **fields))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'value="Ministère des Affaires intérieures"' in page
    assert not Site.objects.exists() and not SiteHost.objects.exists()


def test_a_host_served_by_another_site_is_refused(admin_client):
    factories.site(None, hosts=["gouvernement.lu"])
    response = admin_client.post(
        reverse("admin:sites_site_add"), site_post(factories.organisation(), host="gouvernement.lu")
    )
    assert response.status_code == 200
    assert "existe déjà" in response.content.decode()
    assert Site.objects.count() == 1


def test_there_is_one_portal_and_one_site_per_organisation(admin_client):
    maint = factories.organisation()
    factories.site(None)
    factories.site(maint)
    for organisation, host in ((None, "portail2.gouvernement.lu"), (maint, "maint2.gouvernement.lu")):
        response = admin_client.post(reverse("admin:sites_site_add"), site_post(organisation, host=host))
        assert response.status_code == 200
        assert "a déjà un site" in response.content.decode()
    assert Site.objects.count() == 2


def test_the_contrast_rule_is_wcag_s():
    assert round(contrast_with_white("#000000"), 1) == 21.0
    assert round(contrast_with_white("#FFFFFF"), 1) == 1.0
    assert round(contrast_with_white("#767676"), 1) == 4.5  # the lightest grey that passes AA


def test_central_editors_keep_the_sites_and_other_editors_do_not_see_them(client):
    ensure_editorial_groups()
    client.force_login(member(CENTRAL_EDITOR))
    assert client.get(reverse("admin:sites_site_add")).status_code == 200
    client.force_login(member(EDITOR, factories.organisation()))
    assert client.get(reverse("admin:sites_site_changelist")).status_code == 403
