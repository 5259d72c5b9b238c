"""Embargoed copies to accredited journalists: one personal preview link each, the embargo in their
language, every send and every opening in the audit log, links revocable one by one."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from alerts import embargo
from alerts.models import EmbargoSend, Journalist, JournalistList
from core.models import AuditEntry
from core.publication import Status
from releases import services
from tests import factories
from tests.alerts.jobs import run_due_jobs
from tests.publication.conftest import EDITOR, PRESS_OFFICER, member

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 1, 24, 15, 0, tzinfo=UTC)
AT = datetime(2025, 1, 25, 9, 0, tzinfo=UTC)  # 10:00 in Luxembourg


def with_embargo_permission(user):
    user.user_permissions.add(Permission.objects.get(codename="add_embargosend"))
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def ministry(db):
    return factories.organisation(slug="maint", name_fr="Ministère des Affaires intérieures")


@pytest.fixture
def editor(ministry):
    return with_embargo_permission(member(EDITOR, ministry))


@pytest.fixture
def journalists(db):
    accredited = JournalistList.objects.create(name="Presse accréditée")
    Journalist.objects.create(
        journalist_list=accredited, name="Anne Weber", outlet="Wort", address="anne@wort.example", languages=["de"]
    )
    Journalist.objects.create(
        journalist_list=accredited, name="Paul Martin", outlet="RTL", address="paul@rtl.example", languages=["fr", "en"]
    )
    return accredited


@pytest.fixture
def release(ministry, editor):
    release = factories.release(
        status=Status.DRAFT,
        organisations=[ministry],
        title_fr="Conseil JAI informel",
        lead_fr="SECRET-LEAD",
        body_fr="<p>SECRET-BODY</p>",
    )
    with time_machine.travel(NOW, tick=False):
        services.release_schedule(release=release, by=editor, publish_at=AT)
    return release


def send_all(release, journalists, editor, django_capture_on_commit_callbacks):
    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            sends = embargo.embargo_send(release=release, journalist_list=journalists, by=editor)
        run_due_jobs()
    return sends


def test_each_journalist_gets_the_embargo_in_their_language_and_a_personal_link(
    smtp, release, journalists, editor, django_capture_on_commit_callbacks
):
    sends = send_all(release, journalists, editor, django_capture_on_commit_callbacks)
    assert len(sends) == 2 and len(smtp.received) == 2
    anne = smtp.handler.to("anne@wort.example")[0]
    paul = smtp.handler.to("paul@rtl.example")[0]
    assert "SPERRFRIST — nicht vor dem 25. Januar 2025 10:00 (Luxemburger Zeit) veröffentlichen" in anne.part(
        "text/plain"
    )
    assert "EMBARGO — ne pas publier avant le 25 janvier 2025 10:00 (heure de Luxembourg)" in paul.part("text/plain")
    assert paul.message["Subject"].strip().startswith("EMBARGO 25 janvier 2025 10:00")
    links = {}
    for address, message in (("anne", anne), ("paul", paul)):
        text = message.part("text/plain")
        assert "SECRET-BODY" not in text and release.get_absolute_url() not in text, "never the public address"
        [path] = re.findall(r"https://newsroom\.example(/\S+/apercu/lien/\S+/)", text)
        links[address] = path
    assert links["anne"] != links["paul"], "one link per recipient"
    for send in EmbargoSend.objects.select_related("preview_link"):
        assert send.preview_link.expires_at == AT + timedelta(days=7)
        assert send.sent_at is not None and send.preview_link.recipient.startswith(send.journalist_name)
    sent = AuditEntry.objects.filter(action="alerts.embargo.sent", actor=editor)
    assert sorted(entry.data["recipient"].split(" (")[0] for entry in sent) == ["Anne Weber", "Paul Martin"]

    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        opened = Client().get(links["anne"])
    assert opened.status_code == 200 and "SECRET-BODY" in opened.content.decode()
    [entry] = AuditEntry.objects.filter(action="releases.release.preview_link_opened")
    assert entry.data["recipient"].startswith("Anne Weber (Wort)") and entry.object_id == release.pk
    assert entry.created_at is not None


def test_a_revoked_personal_link_stops_working_and_the_others_go_on(
    smtp, release, journalists, editor, django_capture_on_commit_callbacks
):
    send_all(release, journalists, editor, django_capture_on_commit_callbacks)
    anne = EmbargoSend.objects.get(journalist_name="Anne Weber")
    paul = EmbargoSend.objects.get(journalist_name="Paul Martin")
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        embargo.embargo_revoke(send=anne, by=editor)
        assert Client().get(anne.preview_link.get_absolute_url()).status_code == 404
        assert Client().get(paul.preview_link.get_absolute_url()).status_code == 200
    assert AuditEntry.objects.filter(action="releases.release.preview_link_revoked", actor=editor).count() == 1
    with time_machine.travel(AT + timedelta(days=7, seconds=1), tick=False):
        assert Client().get(paul.preview_link.get_absolute_url()).status_code == 404, "expired a week after"


def test_the_admin_revokes_chosen_links(smtp, release, journalists, editor, django_capture_on_commit_callbacks):
    send_all(release, journalists, editor, django_capture_on_commit_callbacks)
    editor.user_permissions.add(Permission.objects.get(codename="view_embargosend"))
    client = Client()
    client.force_login(editor)
    anne = EmbargoSend.objects.get(journalist_name="Anne Weber")
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        response = client.post(
            reverse("admin:alerts_embargosend_changelist"),
            {"action": "revoke_links", "_selected_action": [anne.pk]},
        )
    assert response.status_code == 302
    anne.preview_link.refresh_from_db()
    assert anne.preview_link.revoked_at is not None
    assert EmbargoSend.objects.get(journalist_name="Paul Martin").preview_link.revoked_at is None


def test_the_admin_form_sends_a_scheduled_release_to_a_list(
    smtp, release, journalists, editor, django_capture_on_commit_callbacks
):
    client = Client()
    client.force_login(editor)
    url = reverse("admin:alerts_embargosend_add")
    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        page = client.get(url)
        assert page.status_code == 200 and "Conseil JAI informel" in page.content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"release": release.pk, "journalist_list": journalists.pk})
        assert response.status_code == 302
        run_due_jobs()
    assert len(smtp.received) == 2


def test_only_a_release_still_under_embargo_can_be_sent_and_only_by_who_may_publish_it(
    smtp, ministry, release, journalists, editor
):
    officer = with_embargo_permission(member(PRESS_OFFICER, ministry))
    with time_machine.travel(NOW, tick=False), pytest.raises(PermissionDenied):
        embargo.embargo_send(release=release, journalist_list=journalists, by=officer)
    other_editor = with_embargo_permission(member(EDITOR, factories.organisation()))
    with time_machine.travel(NOW, tick=False), pytest.raises(PermissionDenied):
        embargo.embargo_send(release=release, journalist_list=journalists, by=other_editor)
    with time_machine.travel(AT, tick=False), pytest.raises(ValidationError):
        embargo.embargo_send(release=release, journalist_list=journalists, by=editor)
    assert not EmbargoSend.objects.exists()


def test_copies_not_sent_before_publication_are_never_sent_after_it(
    smtp, release, journalists, editor, django_capture_on_commit_callbacks
):
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=False):
        embargo.embargo_send(release=release, journalist_list=journalists, by=editor)
    with time_machine.travel(AT + timedelta(minutes=1), tick=False):
        assert embargo.send_copies(release.pk) == 0
    assert smtp.received == []
