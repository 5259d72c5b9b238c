"""Every publication change of a release, as a named verb.

Each service is keyword-only, runs inside one transaction, checks who acts (releases/permissions.py),
keeps a revision (django-reversion) and writes an audit entry named ``releases.release.<verb>``.
The admin's buttons call these functions; nothing else changes a release's publication fields.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import reversion
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reversion.models import Version

from core.audit import record
from core.publication import Status
from releases import permissions
from releases.models import PreviewLink, Release, ReleaseSlugHistory, ReleaseUpdate
from releases.signals import release_corrected, release_published, release_scheduled

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser as User

PREVIEW_LINK_DAYS = 7


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _locked(release: Release) -> Release:
    """The release row, locked for this transaction, with the caller's unsaved edits kept."""
    Release.objects.select_for_update().filter(pk=release.pk).first()
    return release


def _save(release: Release, *, by: User | None, comment: str) -> None:
    with reversion.create_revision():
        release.save()
        reversion.set_user(by if by is not None and by.is_authenticated else None)
        reversion.set_comment(comment)


def _notes_for_content_languages(release: Release, notes: dict[str, str] | None, field: str) -> dict[str, str]:
    """A public note is required in each language the release is written in."""
    notes = {code: (text or "").strip() for code, text in (notes or {}).items() if code in settings.LANGUAGE_CODES}
    missing = [code for code in release.translated_languages if not notes.get(code)]
    if missing:
        raise ValidationError(
            {
                f"{field}_{code}": _("Une note publique est nécessaire dans chaque langue du communiqué.")
                for code in missing
            }
        )
    return notes


def public_addresses(release: Release) -> dict[str, str]:
    """The address of a release in each language (it depends on its date and its slugs)."""
    addresses = {}
    for code in settings.LANGUAGE_CODES:
        with translation.override(code):
            addresses[code] = release.get_absolute_url()
    return addresses


def remember_moved_addresses(*, before: dict[str, str], release: Release) -> None:
    """After a public release's slug or date changed, its old addresses answer 301 to the new ones."""
    after = public_addresses(release)
    for code, old in before.items():
        if old != after.get(code):
            ReleaseSlugHistory.objects.update_or_create(path=old, defaults={"release": release, "language": code})
    ReleaseSlugHistory.objects.filter(release=release, path__in=after.values()).delete()


def release_submit(*, release: Release, by: User) -> Release:
    """A draft goes to review (press officers and editors)."""
    _require(permissions.can_submit(by, release), _("Vous ne pouvez pas soumettre ce communiqué."))
    with transaction.atomic():
        _locked(release)
        if release.status != Status.DRAFT:
            raise ValidationError(_("Seul un brouillon peut être soumis pour relecture."))
        release.status = Status.IN_REVIEW
        _save(release, by=by, comment="Soumis pour relecture")
        record("releases.release.submitted", target=release, actor=by)
    return release


def release_schedule(
    *, release: Release, by: User, publish_at: datetime, unpublish_at: datetime | None = None
) -> Release:
    """Embargo: the release becomes public at ``publish_at`` exactly (a future instant)."""
    _require(permissions.can_publish(by, release), _("Vous ne pouvez pas programmer ce communiqué."))
    now = timezone.now()
    with transaction.atomic():
        _locked(release)
        if release.is_public(now):
            raise ValidationError(_("Ce communiqué est déjà public : publiez une correction."))
        if publish_at is None or publish_at <= now:
            raise ValidationError({"schedule_at": _("L'heure de publication doit être à venir.")})
        if unpublish_at is not None and unpublish_at <= publish_at:
            raise ValidationError({"unpublish_at": _("La dépublication doit suivre la publication.")})
        was_public = release.first_published_at is not None and release.first_published_at <= now
        before = public_addresses(Release.objects.get(pk=release.pk)) if was_public else None
        release.status = Status.SCHEDULED
        release.publish_at = publish_at
        release.unpublish_at = unpublish_at
        if not was_public:
            # Not public yet: its first public moment is the scheduled one, not when some job runs.
            release.first_published_at = publish_at
        _save(release, by=by, comment="Programmé")
        if before is not None:
            remember_moved_addresses(before=before, release=release)
        record(
            "releases.release.scheduled",
            target=release,
            actor=by,
            publish_at=publish_at,
            unpublish_at=unpublish_at,
        )
        release_scheduled.send(sender=Release, release=release)
    return release


def release_publish(*, release: Release, by: User) -> Release:
    """Publish now (or publish again a release that was unpublished, at its old address)."""
    _require(permissions.can_publish(by, release), _("Vous ne pouvez pas publier ce communiqué."))
    now = timezone.now()
    with transaction.atomic():
        _locked(release)
        if release.is_public(now):
            raise ValidationError(_("Ce communiqué est déjà public."))
        was_public = release.first_published_at is not None and release.first_published_at <= now
        if was_public:
            release.unpublish_at = None
            if release.status == Status.WITHDRAWN:
                release.status = Status.WITHDRAWN
            else:
                release.status = Status.PUBLISHED
        else:
            release.status = Status.PUBLISHED
            release.publish_at = now
            release.first_published_at = now
            if release.unpublish_at is not None and release.unpublish_at <= now:
                release.unpublish_at = None
        _save(release, by=by, comment="Publié")
        record("releases.release.published", target=release, actor=by, publish_at=release.publish_at)
        release_published.send(sender=Release, release=release)
    return release


def release_publish_correction(
    *,
    release: Release,
    by: User,
    major: bool,
    notes: dict[str, str] | None = None,
    internal_note: str = "",
) -> ReleaseUpdate:
    """Record a correction of a public release, saving its current (edited) content.

    A major correction needs a public note in each language the release has; it moves
    "Dernière mise à jour" and is listed on the page. A minor one (a typo) needs an internal note,
    leaves the public stamp alone, and is still recorded.
    """
    _require(permissions.can_publish(by, release), _("Vous ne pouvez pas corriger ce communiqué."))
    now = timezone.now()
    with transaction.atomic():
        _locked(release)
        if not release.is_public(now) or release.status == Status.WITHDRAWN:
            raise ValidationError(_("Seul un communiqué public (et non retiré) peut être corrigé."))
        update = ReleaseUpdate(release=release, published_at=now, major=major, author=by if by else None)
        if major:
            for code, text in _notes_for_content_languages(release, notes, "correction_note").items():
                setattr(update, f"note_{code}", text)
            release.public_updated_at = now
        else:
            internal_note = (internal_note or "").strip()
            if not internal_note:
                raise ValidationError({"internal_note": _("Décrivez la correction mineure (note interne).")})
            update.internal_note = internal_note
        if release.status == Status.SCHEDULED:
            release.status = Status.PUBLISHED
        _save(release, by=by, comment="Correction majeure" if major else "Correction mineure")
        update.save()
        record("releases.release.corrected", target=release, actor=by, major=major, update=update.pk)
        release_corrected.send(sender=Release, release=release, update=update)
    return update


def release_withdraw(*, release: Release, by: User, notes: dict[str, str]) -> Release:
    """Withdraw: the page stays up, with a public notice explaining why."""
    _require(permissions.can_publish(by, release), _("Vous ne pouvez pas retirer ce communiqué."))
    now = timezone.now()
    with transaction.atomic():
        _locked(release)
        if not release.is_public(now) or release.status == Status.WITHDRAWN:
            raise ValidationError(_("Seul un communiqué public peut être retiré."))
        for code, text in _notes_for_content_languages(release, notes, "withdrawal_note").items():
            setattr(release, f"withdrawal_note_{code}", text)
        release.status = Status.WITHDRAWN
        _save(release, by=by, comment="Retiré")
        record("releases.release.withdrawn", target=release, actor=by)
    return release


def release_unpublish(*, release: Release, by: User, reason: str = "") -> Release:
    """Take a public release down: its address answers 410 Gone with an explanation.

    A release scheduled but not yet public goes back to draft instead (its embargo is cancelled).
    """
    _require(permissions.can_publish(by, release), _("Vous ne pouvez pas dépublier ce communiqué."))
    now = timezone.now()
    with transaction.atomic():
        _locked(release)
        if release.is_public(now):
            release.unpublish_at = now
            _save(release, by=by, comment="Dépublié")
            record("releases.release.unpublished", target=release, actor=by, reason=reason)
        elif release.status == Status.SCHEDULED:
            release.status = Status.DRAFT
            release.first_published_at = None
            _save(release, by=by, comment="Programmation annulée")
            record("releases.release.unscheduled", target=release, actor=by, reason=reason)
        else:
            raise ValidationError(_("Ce communiqué n'est pas public."))
    return release


PUBLICATION_FIELDS = (
    "status",
    "publish_at",
    "unpublish_at",
    "first_published_at",
    "public_updated_at",
    "lock_version",
)


def release_versions(release: Release) -> QuerySet[Version]:
    """The kept revisions of a release, newest first."""
    return Version.objects.get_for_object(release).select_related("revision__user")


def release_restore_revision(*, release: Release, version: Version, by: User) -> Release:
    """Bring back a kept revision: text in every language, issuers in order, people and tags.

    The publication state (status, times, stamps) stays as it is now: restoring older text does not
    unpublish or re-date a release. Restoring the text of a public release needs the publish permission.
    """
    allowed = permissions.can_edit(by, release)
    if release.is_public():
        allowed = allowed and permissions.can_publish(by, release)
    _require(allowed, _("Vous ne pouvez pas restaurer ce communiqué."))
    if version.object_id != str(release.pk) or version.content_type.model_class() is not Release:
        raise ValidationError(_("Cette révision n'appartient pas à ce communiqué."))
    with transaction.atomic():
        _locked(release)
        current = Release.objects.get(pk=release.pk)
        was_public = current.is_public()
        addresses = public_addresses(current)
        kept = {field: getattr(current, field) for field in PUBLICATION_FIELDS}
        with reversion.create_revision(manage_manually=True):
            version.revision.revert(delete=True)
        restored = Release.objects.get(pk=release.pk)
        for field, value in kept.items():
            setattr(restored, field, value)
        when = timezone.localtime(version.revision.date_created).strftime("%d/%m/%Y %H:%M")
        _save(restored, by=by, comment=f"Restauré depuis la révision du {when}")
        if was_public:
            # The public text changed: recorded like a minor correction, and old addresses redirect.
            ReleaseUpdate.objects.create(
                release=restored, major=False, author=by, internal_note=f"Révision du {when} restaurée."
            )
            remember_moved_addresses(before=addresses, release=restored)
        record("releases.release.restored", target=restored, actor=by, version=version.pk)
    return restored


def preview_link_create(
    *,
    release: Release,
    by: User,
    days: int = PREVIEW_LINK_DAYS,
    expires_at: datetime | None = None,
    recipient: str = "",
) -> PreviewLink:
    """A secret address showing this one release to people without an account, for ``days`` days (or
    until ``expires_at``); ``recipient`` names the one person it is for, when it is personal."""
    _require(permissions.can_publish(by, release), _("Vous ne pouvez pas partager ce communiqué."))
    with transaction.atomic():
        link = PreviewLink.objects.create(
            release=release,
            created_by=by,
            expires_at=expires_at or timezone.now() + timedelta(days=days),
            recipient=recipient[:300],
        )
        record(
            "releases.release.preview_link_created",
            target=release,
            actor=by,
            link=link.pk,
            expires_at=link.expires_at,
            recipient=link.recipient,
        )
    return link


def preview_link_revoke(*, link: PreviewLink, by: User) -> PreviewLink:
    _require(permissions.can_publish(by, link.release), _("Vous ne pouvez pas révoquer ce lien."))
    with transaction.atomic():
        if link.revoked_at is None:
            link.revoked_at = timezone.now()
            link.save(update_fields=["revoked_at"])
            record("releases.release.preview_link_revoked", target=link.release, actor=by, link=link.pk)
    return link


TRANSLATED_CONTENT = ("title", "slug", "lead", "body")


def translation_missing(release: Release, language: str) -> list[str]:
    """The content fields (title, slug, lead, body) still empty in ``language``."""
    return [field for field in TRANSLATED_CONTENT if not (getattr(release, f"{field}_{language}", None) or "").strip()]


def release_copy_original(*, release: Release, language: str, by: User) -> list[str]:
    """Copy the original language's title, slug, lead and body into ``language`` where it is empty.

    A starting point for a translator; nothing already written is replaced. A public release changes
    only through a correction, so it is refused here. Returns the fields copied.
    """
    _require(permissions.can_edit(by, release), _("Vous ne pouvez pas modifier ce communiqué."))
    if language not in settings.LANGUAGE_CODES or language == release.original_language:
        raise ValidationError(_("Choisissez une autre langue que la langue d'origine."))
    with transaction.atomic():
        _locked(release)
        if release.is_public():
            raise ValidationError(_("Ce communiqué est public : corrigez-le avec « Publier la correction »."))
        copied = []
        for field in translation_missing(release, language):
            value = getattr(release, f"{field}_{release.original_language}", None) or ""
            if value:
                setattr(release, f"{field}_{language}", value)
                copied.append(field)
        if copied:
            _save(release, by=by, comment=f"Original copié vers {language}")
            record("releases.release.translation_copied", target=release, actor=by, language=language, fields=copied)
    return copied
