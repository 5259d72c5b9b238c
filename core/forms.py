"""Form fields shared by the admin: times entered and shown in Luxembourg time.

Every publication time (``publish_at``, ``unpublish_at``) and meeting time is typed by an editor in
Luxembourg, whatever the server's or the browser's time zone. A local time that does not exist (the
spring-forward gap, 2025-03-30 02:30) or exists twice (the autumn overlap, 2025-10-26 02:30) cannot be
turned into one instant, so it is refused with a message saying why, rather than guessed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

LUXEMBOURG = ZoneInfo("Europe/Luxembourg")
TIME_ZONE_LABEL = _("heure de Luxembourg (Europe/Luxembourg)")


def luxembourg_instant(local: datetime) -> datetime:
    """The one instant a naive Luxembourg wall-clock time stands for, or a ValidationError.

    Refuses a time skipped when clocks go forward and a time that happens twice when they go back.
    """
    if timezone.is_aware(local):
        return local
    early = local.replace(tzinfo=LUXEMBOURG, fold=0)
    late = local.replace(tzinfo=LUXEMBOURG, fold=1)
    # A time in the gap does not survive a round trip through UTC.
    if early.astimezone(UTC).astimezone(LUXEMBOURG).replace(tzinfo=None) != local:
        raise ValidationError(
            _(
                "Le %(when)s n'existe pas à Luxembourg : cette nuit-là, les horloges avancent d'une heure "
                "(passage à l'heure d'été). Choisissez une heure avant ou après le changement."
            ),
            code="nonexistent_time",
            params={"when": local.strftime("%d/%m/%Y %H:%M")},
        )
    if early.utcoffset() != late.utcoffset():
        raise ValidationError(
            _(
                "Le %(when)s existe deux fois à Luxembourg : cette nuit-là, les horloges reculent d'une heure "
                "(retour à l'heure d'hiver). Choisissez une heure avant ou après le changement."
            ),
            code="ambiguous_time",
            params={"when": local.strftime("%d/%m/%Y %H:%M")},
        )
    return early.astimezone(UTC)


def validate_in_future(value: datetime | None) -> None:
    """Refuses a publication time already past (a schedule must be ahead of now)."""
    if value is not None and value <= timezone.now():
        raise ValidationError(
            _("Cette heure est déjà passée (il est %(now)s à Luxembourg). Choisissez une heure à venir."),
            code="in_past",
            params={"now": date_format(timezone.localtime(timezone.now(), LUXEMBOURG), "DATETIME_FORMAT")},
        )


class LuxembourgDateTimeWidget(AdminSplitDateTime):
    """The admin's date and time inputs, with the time zone written next to them."""

    template_name = "newsroom/widgets/luxembourg_datetime.html"  # in the app, where form renderers look

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["time_zone_label"] = TIME_ZONE_LABEL
        return context

    def decompress(self, value):
        if value and timezone.is_aware(value):
            value = value.astimezone(LUXEMBOURG).replace(tzinfo=None)
        return super().decompress(value)


class LuxembourgDateTimeField(forms.SplitDateTimeField):
    """A date and a time typed in Luxembourg; cleans to an aware UTC datetime.

    ``future=True`` also refuses a time already past (used when scheduling).
    """

    widget = LuxembourgDateTimeWidget

    def __init__(self, *args, future: bool = False, **kwargs):
        kwargs.setdefault("help_text", "")
        kwargs.pop("max_length", None)
        super().__init__(*args, **kwargs)
        if not self.help_text:
            self.help_text = TIME_ZONE_LABEL
        if future:
            self.validators.append(validate_in_future)

    def compress(self, data_list):
        if not data_list:
            return None
        day, time_of_day = data_list
        if day in self.empty_values or time_of_day in self.empty_values:
            return super().compress(data_list)  # raises the "enter a date and a time" message
        return luxembourg_instant(datetime.combine(day, time_of_day))

    def prepare_value(self, value):
        if isinstance(value, datetime) and timezone.is_aware(value):
            return value.astimezone(LUXEMBOURG).replace(tzinfo=None)
        return value

    def has_changed(self, initial, data):
        try:
            cleaned = self.clean(data)
        except ValidationError:
            return True
        if initial is None or cleaned is None:
            return initial != cleaned
        return abs(initial - cleaned) >= timedelta(seconds=1)


class LuxembourgTimesAdminMixin:
    """For a ModelAdmin: every date-and-time field is typed and shown in Luxembourg time."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        from django.db import models

        if isinstance(db_field, models.DateTimeField) and db_field.editable:
            help_text = str(db_field.help_text or "")
            if "Luxembourg" not in help_text:
                help_text = f"{help_text} ({TIME_ZONE_LABEL})".strip()
            return LuxembourgDateTimeField(
                label=db_field.verbose_name.capitalize(), required=not db_field.blank, help_text=help_text
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


STALE_MESSAGE = _(
    "Cette fiche a été enregistrée par quelqu'un d'autre depuis que vous l'avez ouverte. "
    "Vos changements n'ont pas été enregistrés et sont encore dans ce formulaire : ouvrez la fiche "
    "dans un autre onglet, reportez-y vos changements, puis enregistrez."
)


def check_lock_version(form: forms.ModelForm, submitted: int | None) -> None:
    """Refuses a save based on a stale copy (the optimistic lock of ``Publishable.lock_version``).

    Runs inside the admin's transaction; the row is locked until it commits, so two saves cannot both
    pass the check.
    """
    instance = form.instance
    if not instance.pk:
        return
    current = (
        type(instance)
        ._default_manager.select_for_update()
        .filter(pk=instance.pk)
        .values_list("lock_version", flat=True)
        .first()
    )
    if submitted is None or submitted != current:
        raise ValidationError(STALE_MESSAGE, code="stale")


class PublishableAdminForm(forms.ModelForm):
    """For meetings and galleries, whose status is set in their form: a schedule must be ahead of now,
    and a save from a stale copy is refused."""

    lock_version_seen = forms.IntegerField(label=_("version ouverte"), widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["lock_version_seen"].initial = self.instance.lock_version

    #: Set by ``PublishableAdminMixin.get_form``: who is saving.
    request = None

    def clean(self):
        cleaned = super().clean()
        check_lock_version(self, cleaned.get("lock_version_seen"))
        self.check_publish_permission(cleaned)
        publish_at = cleaned.get("publish_at")
        if (
            cleaned.get("status") == "scheduled"
            and publish_at is not None
            and "publish_at" in self.changed_data
            and publish_at <= timezone.now()
        ):
            try:
                validate_in_future(publish_at)
            except ValidationError as error:
                self.add_error("publish_at", error)
        unpublish_at = cleaned.get("unpublish_at")
        if publish_at and unpublish_at and unpublish_at <= publish_at:
            self.add_error("unpublish_at", _("La dépublication doit suivre la publication."))
        return cleaned

    def check_publish_permission(self, cleaned):
        """Only an editor (the publish permission) makes an item public, reschedules it or takes it back."""
        user = self.request.user if self.request else None
        if user is None or user.has_perm("releases.publish_release"):
            return
        public_statuses = {"scheduled", "published", "withdrawn"}
        before = self.initial.get("status") if self.instance.pk else None
        touches_publication = cleaned.get("status") in public_statuses or before in public_statuses
        if touches_publication and ({"status", "publish_at", "unpublish_at"} & set(self.changed_data)):
            raise ValidationError(_("Seul un éditeur peut programmer, publier ou retirer."), code="permission")


class PublishableAdminMixin:
    """Admin of a meeting or a gallery: the form knows who saves, and the save goes through the service."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    def save_model(self, request, obj, form, change):
        from core.services import publishable_save

        previous = type(obj).objects.filter(pk=obj.pk).values("status", "publish_at").first() if change else None
        publishable_save(
            item=obj,
            by=request.user,
            previous_status=previous["status"] if previous else None,
            previous_publish_at=previous["publish_at"] if previous else None,
        )
