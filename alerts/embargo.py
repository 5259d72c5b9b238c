"""Embargoed distribution: an editor sends a scheduled release, before ``publish_at``, to a list of
accredited journalists.

Each journalist gets their own preview link (``releases.services.preview_link_create``, named after
them, expiring seven days after publication, revocable one by one) and an e-mail in their language
saying "EMBARGO — ne pas publier avant <date, heure de Luxembourg>" with that link; never the public
address's content. The send of each copy and every opening of its link are in the audit log
(``alerts.embargo.sent``, ``releases.release.preview_link_opened``), so a leak can be traced to a
recipient. This is the one path by which anything of a release leaves before its publication.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from alerts import mail
from alerts.models import EmbargoSend, JournalistList
from core.audit import record
from core.publication import Status
from releases import permissions, services
from releases.models import Release

logger = logging.getLogger(__name__)

#: A personal link stays valid this long after the publication (for journalists' follow-up).
LINK_DAYS_AFTER_PUBLICATION = 7


def embargoed_release(release_id: int) -> Release | None:
    """The release if it is still scheduled for a moment to come (staff code: it is not public yet)."""
    return Release.objects.filter(pk=release_id, status=Status.SCHEDULED, publish_at__gt=timezone.now()).first()


def embargo_send(*, release: Release, journalist_list: JournalistList, by) -> list[EmbargoSend]:
    """Create one personal link and one pending copy per journalist of the list; the worker sends them."""
    if not (permissions.can_publish(by, release) and by.has_perm("alerts.add_embargosend")):
        raise PermissionDenied(_("Vous ne pouvez pas envoyer ce communiqué sous embargo."))
    sends = []
    with transaction.atomic():
        Release.objects.select_for_update().filter(pk=release.pk).first()
        release.refresh_from_db()
        if not release.is_embargoed:
            raise ValidationError(_("Seul un communiqué programmé, pas encore publié, peut être envoyé sous embargo."))
        for journalist in journalist_list.journalists.order_by("name"):
            recipient = f"{journalist.name} ({journalist.outlet}) <{journalist.address}>"
            link = services.preview_link_create(
                release=release,
                by=by,
                expires_at=release.publish_at + timedelta(days=LINK_DAYS_AFTER_PUBLICATION),
                recipient=recipient,
            )
            send = EmbargoSend.objects.create(
                release=release,
                journalist=journalist,
                address=journalist.address,
                journalist_name=journalist.name,
                outlet=journalist.outlet,
                language=journalist.language,
                preview_link=link,
                sent_by=by,
            )
            record(
                "alerts.embargo.queued",
                target=release,
                actor=by,
                send=send.pk,
                link=link.pk,
                recipient=recipient,
                journalist_list=journalist_list.name,
                publish_at=release.publish_at,
            )
            sends.append(send)
        release_id = release.pk
        transaction.on_commit(lambda: send_embargo_copies.enqueue(release_id))
    return sends


def embargo_revoke(*, send: EmbargoSend, by) -> None:
    """Close one recipient's personal link (audited by the releases' service)."""
    services.preview_link_revoke(link=send.preview_link, by=by)


def embargo_message(send: EmbargoSend, release: Release):
    language = send.language
    with translation.override(language):
        embargo_local = formats.date_format(timezone.localtime(release.publish_at), "DATETIME_FORMAT")
        issuers = [issuer.organisation.name for issuer in release.issuers.select_related("organisation")]
        preview_url = mail.absolute(send.preview_link.get_absolute_url())
        subject = _("EMBARGO %(date)s — %(title)s") % {
            "date": embargo_local,
            "title": release.localized("title", language),
        }
    context = {
        "language": release.content_language(language),
        "title": release.localized("title", language),
        "issuers": issuers,
        "embargo_local": embargo_local,
        "outlet": send.outlet,
        "preview_url": preview_url,
    }
    text, html = mail.render_pair("embargo", context, language)
    headers = {"Message-ID": f"<embargo.{send.pk}@{mail.mail_domain()}>", "Auto-Submitted": "auto-generated"}
    return mail.multipart(subject=subject, text=text, html=html, to=send.address, headers=headers, language=language)


def send_copies(release_id: int) -> int:
    """Send the pending copies of a release, each once (as alert deliveries are: alerts/sending.py)."""
    release = embargoed_release(release_id)
    pending = EmbargoSend.objects.filter(release_id=release_id, sent_at__isnull=True)
    if release is None:
        # Published, rescheduled to draft or unpublished meanwhile: an embargo copy makes no sense any more.
        pending.update(last_error="not embargoed any more")
        return 0
    sent = 0
    connection = None
    for send_id in list(pending.exclude(last_error="not embargoed any more").values_list("id", flat=True)):
        try:
            if connection is None:
                connection = mail.open_connection()
            with transaction.atomic():
                send = (
                    EmbargoSend.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("preview_link")
                    .filter(pk=send_id, sent_at__isnull=True)
                    .first()
                )
                if send is None or not send.preview_link.is_active():
                    continue
                message = embargo_message(send, release)
                open_transaction = mail.start_transaction(connection, message)
                send.sent_at = timezone.now()
                send.message_id = message.extra_headers["Message-ID"]
                send.last_error = ""
                send.save(update_fields=["sent_at", "message_id", "last_error"])
                record(
                    "alerts.embargo.sent",
                    target=release,
                    actor=send.sent_by,
                    send=send.pk,
                    link=send.preview_link_id,
                    recipient=send.preview_link.recipient,
                )
            open_transaction.finish()
            sent += 1
        except (smtplib.SMTPException, OSError) as error:
            logger.warning("Embargoed copy %s could not be sent: %s", send_id, error)
            EmbargoSend.objects.filter(pk=send_id).update(sent_at=None, message_id="", last_error=str(error)[:500])
            connection = None
    if connection is not None:
        connection.close()
    return sent


@task()
def send_embargo_copies(release_id: int) -> int:
    return send_copies(release_id)
