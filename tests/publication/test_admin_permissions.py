"""Rule 5 on every admin URL: a press officer of ministry A never reaches ministry B's release."""

from __future__ import annotations

import pytest
import reversion
from django.urls import reverse

from core.publication import Status
from releases.models import Release
from tests import factories

from .formdata import form_data, text

SECRET_TITLE = "Projet confidentiel du ministère B 7f3a"


@pytest.fixture
def release_b(org_b):
    with reversion.create_revision():
        release = factories.release(status=Status.DRAFT, organisations=[org_b], title_fr=SECRET_TITLE)
    with reversion.create_revision():
        release.lead_fr = "Deuxième version"
        release.save()
    return release


@pytest.fixture
def release_a(org_a):
    return factories.release(status=Status.DRAFT, organisations=[org_a], title_fr="Communiqué du ministère A")


def admin_urls(release):
    versions = list(reversion.models.Version.objects.get_for_object(release))
    return {
        "change": reverse("admin:releases_release_change", args=[release.pk]),
        "delete": reverse("admin:releases_release_delete", args=[release.pk]),
        "history": reverse("admin:releases_release_history", args=[release.pk]),
        "revisions": reverse("admin:releases_release_revisions", args=[release.pk]),
        "compare": reverse("admin:releases_release_compare", args=[release.pk])
        + f"?a={versions[-1].pk}&b={versions[0].pk}",
        "restore": reverse("admin:releases_release_restore", args=[release.pk, versions[-1].pk]),
        "preview": reverse("release-preview", kwargs={"pk": release.pk}),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("profile", ["press_officer_a", "editor_a"])
def test_other_ministrys_release_is_unreachable_on_every_admin_url(request, profile, release_b, release_a, client):
    """Changelist does not list it; change/delete/history/revisions/compare/restore/preview: 403 or 404."""
    client.force_login(request.getfixturevalue(profile))
    changelist = client.get(reverse("admin:releases_release_changelist"))
    assert changelist.status_code == 200
    assert "Communiqué du ministère A" in changelist.content.decode()
    assert SECRET_TITLE not in changelist.content.decode()
    search = client.get(reverse("admin:releases_release_changelist") + "?q=confidentiel")
    assert SECRET_TITLE not in search.content.decode()
    for name, url in admin_urls(release_b).items():
        response = client.get(url)
        assert response.status_code in (403, 404), name
        assert SECRET_TITLE not in response.content.decode(), name
    posts = {
        "change": {"title_fr": "pirate", "_save": "1"},
        "delete": {"post": "yes"},
        "restore": {},
    }
    urls = admin_urls(release_b)
    for name, data in posts.items():
        assert client.post(urls[name], data).status_code in (403, 404), name
    link_url = reverse("admin:releases_release_preview_link", args=[release_b.pk])
    assert client.post(link_url).status_code in (403, 404)
    assert Release.objects.filter(pk=release_b.pk, title_fr=SECRET_TITLE).exists()
    assert not release_b.preview_links.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("profile", ["central_editor", "superuser"])
def test_central_editor_and_superuser_see_every_ministry(request, profile, release_b, client):
    """Central editors and superusers reach every admin URL of any ministry's release."""
    client.force_login(request.getfixturevalue(profile))
    assert SECRET_TITLE in client.get(reverse("admin:releases_release_changelist")).content.decode()
    for name, url in admin_urls(release_b).items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert SECRET_TITLE in response.content.decode(), name


@pytest.mark.django_db
def test_press_officer_edits_and_submits_own_release_but_cannot_publish(press_officer_a, release_a, client):
    """A press officer saves and submits for review; the publish buttons are refused."""
    client.force_login(press_officer_a)
    url = reverse("admin:releases_release_change", args=[release_a.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="_submit_review"' in html
    assert 'name="_publish"' not in html and 'name="_schedule"' not in html

    data = form_data(html)
    data["_publish"] = "1"
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "Seul un éditeur peut programmer ou publier." in refused.content.decode()
    release_a.refresh_from_db()
    assert release_a.status == Status.DRAFT

    data = form_data(client.get(url).content.decode())
    data["_submit_review"] = "1"
    assert client.post(url, data).status_code == 302
    release_a.refresh_from_db()
    assert release_a.status == Status.IN_REVIEW


@pytest.mark.django_db
def test_editor_publishes_own_ministrys_release_through_the_admin(editor_a, release_a, client):
    """The editor's "publish now" button goes through the service: status, stamps and audit entry."""
    client.force_login(editor_a)
    url = reverse("admin:releases_release_change", args=[release_a.pk])
    data = form_data(client.get(url).content.decode())
    data["_publish"] = "1"
    assert client.post(url, data).status_code == 302
    release_a.refresh_from_db()
    assert release_a.status == Status.PUBLISHED
    assert release_a.first_published_at == release_a.publish_at
    assert release_a.is_public()
    from core.models import AuditEntry

    assert AuditEntry.objects.filter(action="releases.release.published", actor=editor_a).exists()


@pytest.mark.django_db
def test_press_officer_sees_a_public_release_read_only(press_officer_a, org_a, client):
    """Once public, a release changes only through an editor's correction: the press officer's POST is 403."""
    release = factories.release(status=Status.PUBLISHED, organisations=[org_a], title_fr="Déjà public")
    client.force_login(press_officer_a)
    url = reverse("admin:releases_release_change", args=[release.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(url, {"title_fr": "Changé", "_save": "1"}).status_code == 403
    release.refresh_from_db()
    assert release.title_fr == "Déjà public"


@pytest.mark.django_db
def test_press_officer_cannot_give_a_release_away_to_another_ministry(press_officer_a, org_b, release_a, client):
    """Replacing one's own ministry by another as sole issuer is refused (it would lock the writer out)."""
    client.force_login(press_officer_a)
    url = reverse("admin:releases_release_change", args=[release_a.pk])
    data = form_data(client.get(url).content.decode())
    data["issuers-0-organisation"] = str(org_b.pk)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Au moins une organisation émettrice doit être l'une des vôtres." in text(response)
    assert list(release_a.issuers.values_list("organisation_id", flat=True)) != [org_b.pk]


@pytest.mark.django_db
def test_editorial_groups_exist_with_their_permissions():
    """The data migration creates the three profiles; only editors publish, only central editors see all."""
    from django.contrib.auth.models import Group

    from .conftest import ensure_editorial_groups

    ensure_editorial_groups()

    def codes(name):
        return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))

    press, editor, central = codes("Chargé de presse"), codes("Éditeur"), codes("Éditeur central")
    assert {"view_release", "add_release", "change_release"} <= press
    assert "publish_release" not in press and "view_all_releases" not in press
    assert "publish_release" in editor and "view_all_releases" not in editor
    assert {"publish_release", "view_all_releases"} <= central


@pytest.mark.django_db
def test_press_officer_creates_a_release_and_submits_it_in_one_go(press_officer_a, org_a, client):
    """The add form: a new release of ministry A, sent for review, with a first revision and audit entry."""
    client.force_login(press_officer_a)
    url = reverse("admin:releases_release_add")
    data = form_data(client.get(url).content.decode())
    data.update(
        {
            "title_fr": "Nouveau communiqué",
            "slug_fr": "nouveau-communique",
            "issuers-TOTAL_FORMS": "1",
            "issuers-0-position": "1",
            "issuers-0-organisation": str(org_a.pk),
            "_submit_review": "1",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, text(response)
    release = Release.objects.get(slug_fr="nouveau-communique")
    assert release.status == Status.IN_REVIEW
    assert release.created_by == press_officer_a
    assert reversion.models.Version.objects.get_for_object(release).exists()
