"""Every admin page renders for a superuser, and costs no more queries as its list grows."""

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEntry
from people.models import Organisation, OrganisationMembership
from releases.models import Release, ReleaseSlugHistory
from sites.directory import directory
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("warm_sites")]
OUR_APPS = {"newsroom", "people", "sites", "releases", "meetings", "media", "auth"}


@pytest.fixture
def superuser_client(client, demo):
    user = factories.user("chief", superuser=True)
    client.force_login(user)
    OrganisationMembership.objects.create(user=user, organisation=Organisation.objects.get(slug="maint"))
    ReleaseSlugHistory.objects.create(release=demo, language="fr", path="/fr/communiques/2024/01/25/ancien/")
    AuditEntry.objects.create(action="releases.release.published", actor=user, target=demo)
    Group.objects.get_or_create(name="Éditeurs")
    site = factories.site(Organisation.objects.get(slug="maint"), hosts=["maint.gouvernement.lu"])
    site.links.create(label_fr="Contact", url="https://maint.gouvernement.lu/contact")
    directory()  # read again after the change, as a running process would before the counted requests
    return client


def registered_models():
    return sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.mark.parametrize("model", registered_models(), ids=lambda model: model._meta.label)
def test_changelist_add_and_change_pages_render(superuser_client, model):
    """The list, the add form (where adding is allowed) and the change form of every model answer 200."""
    opts = model._meta
    changelist = superuser_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert changelist.status_code == 200, changelist.content[:500]

    model_admin = admin.site._registry[model]
    if model_admin.has_add_permission(changelist.wsgi_request):
        add = superuser_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        assert add.status_code == 200

    instance = model.objects.first()
    if instance is None and opts.app_label not in OUR_APPS:
        return  # a third-party model with no rows (the task queue): its list and add pages were checked
    assert instance is not None, f"the test data should contain a {opts.label}"
    change = superuser_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[instance.pk]))
    assert change.status_code == 200


def test_release_form_has_translation_tabs_without_cdn(superuser_client, demo):
    """The tabbed translation admin loads jQuery UI from our own static files, never from a CDN."""
    html = superuser_client.get(reverse("admin:releases_release_change", args=[demo.pk])).content.decode()
    assert "vendor/jquery-ui/jquery-ui.min.js" in html
    assert "tabbed_translation_fields.js" in html
    # Every script and stylesheet comes from this site (a nonce may happen to contain "cdn": look at addresses).
    # Links to pages ("view on site" opens the public site's canonical address) are not loaded.
    sources = re.findall(r'<(?:script[^>]*\ssrc|link[^>]*\shref)="([^"]+)"', html)
    assert sources and not [url for url in sources if url.startswith(("http:", "https:", "//"))]
    assert "googleapis" not in html


@pytest.mark.parametrize("url_name", ["admin:releases_release_changelist", "admin:people_appointment_changelist"])
def test_changelist_queries_do_not_grow_with_rows(superuser_client, url_name):
    """A changelist costs the same number of queries with 3 rows as with 30."""

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert superuser_client.get(reverse(url_name)).status_code == 200
        return len(queries)

    for _ in range(3):
        factories.appointment()
        factories.release()
    few = count_queries()
    for _ in range(27):
        factories.appointment()
        factories.release()
    many = count_queries()
    assert many == few, f"{url_name}: {few} queries with few rows, {many} with many"


def test_release_list_in_admin_shows_lead_organisation(superuser_client, demo):
    html = superuser_client.get(reverse("admin:releases_release_changelist")).content.decode()
    assert Release.objects.get(pk=demo.pk).title_fr[:30] in html
    assert "Ministère des Affaires intérieures" in html


def test_release_change_list_shows_complete_languages_and_selection_boxes(superuser_client, demo):
    """Each row names the languages with a title, slug, lead and body, and has its selection box."""
    french = {"lead_fr": "Chapeau", "body_fr": "<p>Texte</p>"}
    complete = factories.release(
        title_fr="Deux langues", title_de="Alles", slug_de="alles", lead_de="L", body_de="B", **french
    )
    half = factories.release(title_fr="Allemand à moitié", title_de="Halb", slug_de="halb", body_de="B", **french)
    html = superuser_client.get(reverse("admin:releases_release_changelist")).content.decode()
    rows = {release.pk: html.split(f'value="{release.pk}"', 1)[1].split("</tr>", 1)[0] for release in (complete, half)}
    assert ">FR, DE<" in rows[complete.pk]
    assert ">FR<" in rows[half.pk]
    assert (
        f'<input type="checkbox" name="_selected_action" value="{half.pk}" class="action-select" '
        f'aria-label="Choisir cet objet pour une action - {half}">'
    ) in html


def test_release_change_list_counts_up_to_a_cap(superuser_client, demo, monkeypatch):
    """Past the cap the list says "more than …" and pages that far; under it, the exact count."""
    from releases.admin import CappedCountPaginator

    monkeypatch.setattr(CappedCountPaginator, "cap", 4)
    url = reverse("admin:releases_release_changelist")
    for word in ("alpha", "beta", "gamma", "delta", "epsilon"):
        factories.release(title_fr=f"Compté {word}")
    page = superuser_client.get(url, {"q": "Compté"})
    html = page.content.decode()
    assert "plus de 4 communiqués" in html
    assert "Sélectionner tous les communiqués correspondants" in html
    assert page.context["cl"].result_count == 4
    under = superuser_client.get(url, {"q": "gamma"})
    assert under.context["cl"].result_count == 1 and not under.context["cl"].paginator.capped
    assert "plus de 4" not in under.content.decode()
