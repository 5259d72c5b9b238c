"""The request's host picks the site; a host no site lists gets the 400 page, never a site's content."""

import pytest

from sites.directory import site_for_host
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def sites(settings):
    settings.ALLOWED_HOSTS = [".gouvernement.lu", "testserver"]
    maint = factories.organisation(name_fr="Ministère des Affaires intérieures", acronym_fr="MAINT")
    return {
        "portal": factories.site(None, hosts=["gouvernement.lu", "www.gouvernement.lu"], name_fr="Portail"),
        "maint": factories.site(maint, hosts=["maint.gouvernement.lu"], name_fr="Ministère des Affaires intérieures"),
    }


def test_each_host_serves_its_own_site(client, sites):
    for host, name in [
        ("gouvernement.lu", "Portail"),
        ("www.gouvernement.lu", "Portail"),
        ("maint.gouvernement.lu", "Ministère des Affaires intérieures"),
    ]:
        response = client.get("/fr/", HTTP_HOST=host)
        assert response.status_code == 200, host
        assert response.wsgi_request.site.name_fr == name


def test_a_port_and_upper_case_do_not_change_the_site(client, sites):
    response = client.get("/fr/", HTTP_HOST="MAINT.gouvernement.lu:8443")
    assert response.status_code == 200
    assert response.wsgi_request.site == sites["maint"]
    assert site_for_host("maint.gouvernement.lu.:443") == sites["maint"]


def test_an_allowed_host_no_site_lists_gets_the_unknown_site_page(client, sites):
    response = client.get("/fr/communiques/", HTTP_HOST="mjust.gouvernement.lu")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Site inconnu" in page and "mjust.gouvernement.lu" in page
    assert "Ministère des Affaires intérieures" not in page and "Portail" not in page


def test_a_host_outside_allowed_hosts_is_refused_before_any_site_is_chosen(client, sites):
    response = client.get("/fr/", HTTP_HOST="maint.example.org")
    assert response.status_code == 400
    assert "Site inconnu" not in response.content.decode()


def test_the_unknown_site_page_speaks_the_address_language(client, sites):
    response = client.get("/de/", HTTP_HOST="mjust.gouvernement.lu")
    assert response.status_code == 400
    assert response["Content-Language"] == "de"
    assert "mjust.gouvernement.lu" in response.content.decode()


def test_without_any_site_the_installation_serves_its_portal(client):
    response = client.get("/fr/")
    assert response.status_code == 200
    assert response.wsgi_request.site.is_portal and response.wsgi_request.site.pk is None


def test_a_new_host_is_served_at_the_next_request(client, sites):
    assert client.get("/fr/", HTTP_HOST="intern.gouvernement.lu").status_code == 400
    sites["maint"].hosts.create(host="intern.gouvernement.lu", position=2)
    assert client.get("/fr/", HTTP_HOST="intern.gouvernement.lu").wsgi_request.site == sites["maint"]


def test_a_site_carries_its_organisation_and_those_under_it(sites):
    maint = sites["maint"].organisation
    police = factories.organisation(name_fr="Police grand-ducale", parent=maint)
    sites["maint"].refresh_from_db()
    assert sites["maint"].organisation_ids == sorted([maint.pk, police.pk])
    police.parent = None
    police.save()
    sites["maint"].refresh_from_db()
    assert sites["maint"].organisation_ids == [maint.pk]


def test_the_admin_answers_on_an_allowed_host_that_is_no_site(client, sites):
    response = client.get("/admin/login/", HTTP_HOST="admin.gouvernement.lu")
    assert response.status_code == 200
    assert response.wsgi_request.site.is_portal
