"""The editorial audit log: one entry per action, named with a dotted verb."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from core.models import AuditEntry


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def record(action: str, *, target: models.Model, actor=None, **data: Any) -> AuditEntry:
    """Write ``action`` (``releases.release.published``) done by ``actor`` on ``target``."""
    return AuditEntry.objects.create(
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        content_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        object_id=target.pk,
        data=_plain(data),
    )


def entries_for(target: models.Model):
    """The audit trail of one object, newest first."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(target, for_concrete_model=False), object_id=target.pk
    ).select_related("actor")
