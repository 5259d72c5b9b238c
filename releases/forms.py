"""The release edit form of the admin: content, optimistic lock and the publication buttons' inputs."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import LuxembourgDateTimeField, check_lock_version
from core.publication import Status
from releases import permissions

#: The submit buttons of the change form and what each one does after the content is saved.
ACTIONS = {
    "_submit_review": "submit",
    "_schedule": "schedule",
    "_publish": "publish",
    "_correct": "correct",
    "_withdraw": "withdraw",
    "_unpublish": "unpublish",
}


def _note_field(language: str) -> forms.CharField:
    return forms.CharField(
        label=_("Note publique de correction majeure [%(language)s]") % {"language": language},
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReleaseAdminForm(forms.ModelForm):
    """Adds the lock version (hidden) and the inputs the publication buttons need.

    ``request`` is set on the class by ``ReleaseAdmin.get_form``.
    """

    request = None

    lock_version_seen = forms.IntegerField(label=_("version ouverte"), widget=forms.HiddenInput, required=False)
    schedule_at = LuxembourgDateTimeField(
        label=_("Programmer pour le"),
        required=False,
        future=True,
        help_text=_("Heure de Luxembourg (Europe/Luxembourg). Utilisé par le bouton « Programmer »."),
    )
    schedule_unpublish_at = LuxembourgDateTimeField(
        label=_("Dépublier automatiquement le"),
        required=False,
        future=True,
        help_text=_("Facultatif. Heure de Luxembourg (Europe/Luxembourg)."),
    )
    correction_major = forms.TypedChoiceField(
        label=_("Type de correction"),
        choices=[("0", _("Mineure (coquille) : la date de mise à jour ne change pas")), ("1", _("Majeure"))],
        coerce=lambda value: value == "1",
        initial="0",
        required=False,
        widget=forms.RadioSelect,
    )
    internal_note = forms.CharField(
        label=_("Note interne (correction mineure)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    correction_note_fr = _note_field("fr")
    correction_note_de = _note_field("de")
    correction_note_en = _note_field("en")
    correction_note_lb = _note_field("lb")
    unpublish_reason = forms.CharField(
        label=_("Raison de la dépublication (interne)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["lock_version_seen"].initial = self.instance.lock_version

    @property
    def action(self) -> str | None:
        data = self.data if self.is_bound else {}
        return next((action for button, action in ACTIONS.items() if button in data), None)

    @property
    def copy_language(self) -> str | None:
        """The language the "copy the original" button asked for, if it was the one pressed."""
        data = self.data if self.is_bound else {}
        language = data.get("_copy_original")
        return language if language in settings.LANGUAGE_CODES else None

    def correction_notes(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"correction_note_{code}", "") for code in settings.LANGUAGE_CODES}

    def withdrawal_notes(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"withdrawal_note_{code}", "") or "" for code in settings.LANGUAGE_CODES}

    def clean(self):
        cleaned = super().clean()
        release = self.instance
        user = self.request.user if self.request else None
        check_lock_version(self, cleaned.get("lock_version_seen"))
        action = self.action
        now = timezone.now()
        public = release.pk is not None and release.is_public(now)
        if public and action not in {"correct", "withdraw", "unpublish"}:
            raise ValidationError(
                _("Ce communiqué est public : enregistrez vos changements avec « Publier la correction »."),
                code="public",
            )
        if action in {"schedule", "publish", "correct", "withdraw", "unpublish"} and not (
            user and permissions.can_publish(user, release if release.pk else None)
        ):
            raise ValidationError(_("Seul un éditeur peut programmer ou publier."), code="permission")
        if cleaned.get("schedule_at") and action != "schedule":
            self.add_error("schedule_at", _("Pour programmer, utilisez le bouton « Programmer »."))
        if action == "submit" and release.status != Status.DRAFT:
            raise ValidationError(_("Seul un brouillon peut être soumis pour relecture."))
        if action == "schedule":
            if public:
                raise ValidationError(_("Ce communiqué est déjà public."))
            if not cleaned.get("schedule_at") and "schedule_at" not in self.errors:
                self.add_error("schedule_at", _("Indiquez la date et l'heure de publication."))
            unpublish_at = cleaned.get("schedule_unpublish_at")
            if unpublish_at and cleaned.get("schedule_at") and unpublish_at <= cleaned["schedule_at"]:
                self.add_error("schedule_unpublish_at", _("La dépublication doit suivre la publication."))
        if action == "publish" and public:
            raise ValidationError(_("Ce communiqué est déjà public."))
        if action in {"correct", "withdraw"} and (not public or release.status == Status.WITHDRAWN):
            raise ValidationError(_("Seul un communiqué public (et non retiré) peut être corrigé ou retiré."))
        languages = [code for code in settings.LANGUAGE_CODES if cleaned.get(f"title_{code}")]
        if action == "correct":
            if cleaned.get("correction_major"):
                for code in languages:
                    if not cleaned.get(f"correction_note_{code}", "").strip():
                        self.add_error(
                            f"correction_note_{code}",
                            _("Une correction majeure a une note publique dans chaque langue du communiqué."),
                        )
            elif not cleaned.get("internal_note", "").strip():
                self.add_error("internal_note", _("Décrivez la correction mineure (note interne)."))
        if action == "withdraw":
            for code in languages:
                if not (cleaned.get(f"withdrawal_note_{code}") or "").strip():
                    self.add_error(
                        f"withdrawal_note_{code}",
                        _("Le retrait s'explique au public, dans chaque langue du communiqué."),
                    )
        return cleaned
