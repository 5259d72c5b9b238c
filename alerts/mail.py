"""Alert, confirmation and embargo e-mails, and how one message is handed to the SMTP server.

Messages are multipart (text and HTML), in the recipient's language, built from templates in
``templates/alerts/email/``. Links are absolute: a release's is its canonical address
(``sites.addresses``: its site's host name with ``SITE_URL``'s scheme and port), the others ``SITE_URL``.

A recorded send hands a message over through Django's SMTP backend so that a worker killed at
any moment neither loses nor repeats it: the message is written to the server up to, but not
including, the final ``.`` of the DATA command; then the caller's transaction recording it as sent
commits; then the ``.`` is written. A process killed before the commit leaves an unfinished SMTP
transaction, which the server discards (RFC 5321: a connection closed during DATA delivers
nothing), and a delivery still pending, which is sent again. Killed after the commit, the ``.``
is either already in the socket (the kernel delivers it) or not: only those few microseconds can
lose a message, none can send one twice (:func:`start_transaction`, ``alerts/sending.py``).
"""

from __future__ import annotations

import contextlib
import functools
import re
import smtplib
import socket
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.message import sanitize_address
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from alerts import tokens
from sites.addresses import canonical_url

LEADING_DOT = re.compile(rb"(?m)^\.")


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


TOKEN_PLACEHOLDER = "TOKEN-PLACEHOLDER"


@functools.lru_cache(maxsize=64)
def _token_url(site: str, language: str, name: str) -> str:
    with translation.override(language):
        return site + reverse(name, kwargs={"token": TOKEN_PLACEHOLDER})


def url_in(language: str, name: str, *, token: str) -> str:
    """The absolute address of a token page (confirm, manage, unsubscribe) in ``language``; the pattern
    is reversed once per language and page, a batch of 100,000 messages only puts its tokens in."""
    return _token_url(settings.SITE_URL, language, name).replace(TOKEN_PLACEHOLDER, token)


@functools.lru_cache(maxsize=8)
def _domain(from_email: str) -> str:
    address = sanitize_address(from_email, "utf-8")
    return address.rsplit("@", 1)[-1].rstrip(">") or "localhost"


def mail_domain() -> str:
    return _domain(settings.DEFAULT_FROM_EMAIL)


def render_pair(template: str, context: dict, language: str) -> tuple[str, str]:
    with translation.override(language):
        text = render_to_string(f"alerts/email/{template}.txt", context)
        html = render_to_string(f"alerts/email/{template}.html", context)
    return text, html


def multipart(*, subject: str, text: str, html: str, to: str, headers: dict, language: str) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()), body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[to], headers=headers
    )
    message.attach_alternative(html, "text/html")
    message.extra_headers.setdefault("Content-Language", language)
    return message


def list_headers(subscription) -> dict[str, str]:
    """RFC 2369 and RFC 8058: one-click unsubscribe by POST, without cookies."""
    unsubscribe = url_in(subscription.language, "alerts-unsubscribe", token=tokens.unsubscribe_token(subscription))
    return {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"<alerts.{mail_domain()}>",
        "Auto-Submitted": "auto-generated",
    }


def release_context(release, language: str) -> dict:
    """Title, lead, date, issuing ministries and link, in ``language`` with the site's fallback."""
    content_language = release.content_language(language)
    with translation.override(language):
        issuing = list(release.issuers.select_related("organisation").order_by("position"))
        issuers = [issuer.organisation.name for issuer in issuing]
        # The release's one canonical address (the lead issuer's site, or the portal: CANONICAL_SITE).
        url = canonical_url([issuer.organisation_id for issuer in issuing], release.get_absolute_url())
    return {
        "release": release,
        "title": release.localized("title", language),
        "lead": release.localized("lead", language),
        "content_language": content_language,
        "is_fallback": content_language != language,
        "issuers": issuers,
        "published": timezone.localtime(release.first_published_at or release.publish_at),
        "url": url,
    }


#: Stands for the subscriber's own manage link in a message rendered once per release and language.
MANAGE_PLACEHOLDER = "@@manage-url@@"


def alert_message(subscription, release, *, kind: str = "alert", update=None, message_id: str = "", cache=None):
    """The alert (or "mis à jour") message of ``release`` for ``subscription``. The text is rendered once
    per release, language and kind when a ``cache`` dict is given (a batch of thousands), and only the
    subscriber's own links differ from one message to the next."""
    language = subscription.language
    cache = {} if cache is None else cache
    key = (release.pk, language, kind, update.pk if update is not None else 0)
    if key not in cache:
        context = {
            **release_context(release, language),
            "kind": kind,
            "update": update,
            "update_note": update.display_note if update is not None else "",
            "manage_url": MANAGE_PLACEHOLDER,
        }
        with translation.override(language):
            from django.utils.translation import gettext as _

            title = context["title"]
            subject = title if kind == "alert" else _("Mis à jour : %(title)s") % {"title": title}
        text, html = render_pair("update" if kind == "update" else "alert", context, language)
        cache[key] = (subject, text, html)
    subject, text, html = cache[key]
    manage = url_in(language, "alerts-manage", token=tokens.manage_token(subscription.address))
    text = text.replace(MANAGE_PLACEHOLDER, manage)
    html = html.replace(MANAGE_PLACEHOLDER, escape(manage))
    headers = {**list_headers(subscription), "Message-ID": message_id or make_msgid(domain=mail_domain())}
    return multipart(subject=subject, text=text, html=html, to=subscription.address, headers=headers, language=language)


def digest_message(subscription, releases, *, message_id: str):
    language = subscription.language
    items = [release_context(release, language) for release in releases]
    context = {
        "items": items,
        "manage_url": url_in(language, "alerts-manage", token=tokens.manage_token(subscription.address)),
        "description": describe(subscription, language),
        "language": language,
    }
    with translation.override(language):
        from django.utils.translation import ngettext

        subject = ngettext(
            "Communiqués du jour : %(count)s nouveau", "Communiqués du jour : %(count)s nouveaux", len(items)
        ) % {"count": len(items)}
    text, html = render_pair("digest", context, language)
    headers = {**list_headers(subscription), "Message-ID": message_id}
    return multipart(subject=subject, text=text, html=html, to=subscription.address, headers=headers, language=language)


def delivery_message_id(delivery_id: int) -> str:
    return f"<alert.{delivery_id}@{mail_domain()}>"


def open_connection():
    """Django's SMTP backend, connected. Without Nagle's algorithm: the final ``.`` of each message is
    a separate small write, which Nagle would hold back until the server acknowledges the body (a
    delayed ACK: 40 ms a message on Linux)."""
    connection = get_connection(fail_silently=False)
    connection.open()
    sock = getattr(getattr(connection, "connection", None), "sock", None)
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return connection


class OpenTransaction:
    """An SMTP transaction written up to the end of its DATA, waiting for :meth:`finish` (the final ``.``)."""

    def __init__(self, smtp: smtplib.SMTP | None, connection, message):
        self.smtp, self.connection, self.message = smtp, connection, message

    def finish(self) -> None:
        if self.smtp is None:  # another backend: send it whole now
            self.connection.send_messages([self.message])
            return
        self.smtp.send(b".\r\n")
        code, reply = self.smtp.getreply()
        if code != 250:
            raise smtplib.SMTPDataError(code, reply)


def start_transaction(connection, message: EmailMultiAlternatives) -> OpenTransaction:
    """Write ``message`` to the SMTP server through Django's SMTP backend's connection, all but the final
    ``.``: the caller commits its record of the send, then calls ``finish()``.

    Raises ``smtplib.SMTPResponseException`` subclasses (with the server's code) or ``OSError``.
    """
    smtp = getattr(connection, "connection", None)
    if not isinstance(smtp, smtplib.SMTP):
        # Another backend (the file backend in development): no transaction to split.
        return OpenTransaction(None, connection, message)
    encoding = message.encoding or settings.DEFAULT_CHARSET
    sender = sanitize_address(message.from_email, encoding)
    recipients = [sanitize_address(address, encoding) for address in message.recipients()]
    data = message.message().as_bytes(linesep="\r\n")
    smtp.ehlo_or_helo_if_needed()
    code, reply = smtp.mail(sender)
    if code != 250:
        smtp.rset()
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    for recipient in recipients:
        code, reply = smtp.rcpt(recipient)
        if code not in (250, 251):
            smtp.rset()
            raise smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
    smtp.putcmd("data")
    code, reply = smtp.getreply()
    if code != 354:
        smtp.rset()
        raise smtplib.SMTPDataError(code, reply)
    body = LEADING_DOT.sub(b"..", data)
    if not body.endswith(b"\r\n"):
        body += b"\r\n"
    smtp.send(body)
    return OpenTransaction(smtp, connection, message)


def send_now(message: EmailMultiAlternatives) -> None:
    """One message outside any recorded batch (confirmation links): Django's SMTP backend as it is."""
    get_connection(fail_silently=False).send_messages([message])


def confirmation_message(subscription) -> EmailMultiAlternatives:
    language = subscription.language
    context = {
        "subscription": subscription,
        "confirm_url": url_in(language, "alerts-confirm", token=tokens.confirm_token(subscription)),
        "days": settings.ALERTS_CONFIRM_DAYS,
        "description": describe(subscription, language),
    }
    with translation.override(language):
        from django.utils.translation import gettext as _

        subject = _("Confirmez votre abonnement aux communiqués")
    text, html = render_pair("confirm", context, language)
    return multipart(
        subject=subject,
        text=text,
        html=html,
        to=subscription.address,
        headers={"Message-ID": make_msgid(domain=mail_domain()), "Auto-Submitted": "auto-generated"},
        language=language,
    )


def describe(subscription, language: str) -> str:
    """What a subscription follows, in words: "Communiqués — organisation : MAINT, thème : Asile"."""
    from django.utils.translation import gettext as _

    with translation.override(language):
        parts = []
        if subscription.site_id:
            parts.append(_("site : %(value)s") % {"value": subscription.site.name})
        if subscription.kind:
            from releases.models import Release

            parts.append(_("type : %(value)s") % {"value": dict(Release.Kind.choices).get(subscription.kind, "")})
        if subscription.organisation_id:
            parts.append(_("organisation : %(value)s") % {"value": subscription.organisation.name})
        if subscription.person_id:
            parts.append(_("personne : %(value)s") % {"value": str(subscription.person)})
        if subscription.tag_id:
            parts.append(_("thème : %(value)s") % {"value": subscription.tag.name})
        if subscription.meeting_id:
            parts.append(_("réunion : %(value)s") % {"value": subscription.meeting.title})
        return ", ".join(parts) if parts else _("tous les communiqués")
