"""Signed links in alert e-mails (django.core.signing, each with its own salt).

* confirm: a subscription's double opt-in, valid ``ALERTS_CONFIRM_DAYS`` days, once;
* manage: an address's page of subscriptions (no expiry: the link of an old e-mail keeps working
  until the address is forgotten, which deletes what it points to);
* unsubscribe: one subscription, one click (RFC 8058), no expiry for the same reason.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing

CONFIRM_SALT = "alerts.confirm"
MANAGE_SALT = "alerts.manage"
UNSUBSCRIBE_SALT = "alerts.unsubscribe"


def confirm_token(subscription) -> str:
    # The creation instant makes a link of a forgotten and re-created subscription useless.
    return signing.dumps([subscription.pk, subscription.created_at.timestamp()], salt=CONFIRM_SALT, compress=True)


def read_confirm_token(token: str) -> tuple[int, float]:
    """Raises ``signing.SignatureExpired`` or ``signing.BadSignature``."""
    pk, created = signing.loads(token, salt=CONFIRM_SALT, max_age=settings.ALERTS_CONFIRM_DAYS * 86400)
    return int(pk), float(created)


def manage_token(address: str) -> str:
    return signing.dumps(address.lower(), salt=MANAGE_SALT, compress=True)


def read_manage_token(token: str) -> str:
    return str(signing.loads(token, salt=MANAGE_SALT))


def unsubscribe_token(subscription) -> str:
    # No address in it (a one-click address ends up in mail and web server logs): the subscription's id
    # and creation instant, so that the link cannot end a later subscription that reuses nothing of it.
    return signing.dumps([subscription.pk, int(subscription.created_at.timestamp())], salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> tuple[int, int]:
    pk, created = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    return int(pk), int(created)
