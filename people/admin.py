from datetime import date

from django import forms
from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import path
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from core.admin_bases import QuickSelectionMixin
from core.admin_widgets import EditingAidsMixin
from core.rich_text import RichTextAdminMixin
from people.models import Appointment, Organisation, OrganisationMembership, Person, Role


class RoleInline(TranslationTabularInline):
    model = Role
    extra = 0
    fields = ("title", "kind")
    show_change_link = True


@admin.register(Organisation)
class OrganisationAdmin(TabbedTranslationAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("name", "acronym", "kind", "country", "successor", "closed_on")
    list_filter = ("kind", "country")
    list_select_related = ("successor",)
    search_fields = ("name_fr", "name_de", "name_en", "acronym_fr", "slug")
    prepopulated_fields = {"slug": ("name_fr",)}
    autocomplete_fields = ("parent", "successor")
    inlines = [RoleInline]
    fieldsets = (
        (None, {"fields": ("name", "acronym", "byline_name", "slug", "kind", "country", "website")}),
        ("Historique", {"fields": ("parent", "successor", "closed_on")}),
    )


class AppointmentInline(admin.TabularInline):
    model = Appointment
    extra = 0
    autocomplete_fields = ("role",)
    fields = ("role", "started_on", "ended_on")


@admin.register(Person)
class PersonAdmin(QuickSelectionMixin, EditingAidsMixin, RichTextAdminMixin, TabbedTranslationAdmin):
    rich_text_fields = ("biography",)
    list_display = ("family_name", "given_name", "slug")
    search_fields = ("family_name", "given_name", "slug")
    prepopulated_fields = {"slug": ("given_name", "family_name")}
    autocomplete_fields = ("portrait",)
    inlines = [AppointmentInline]


@admin.register(Role)
class RoleAdmin(TabbedTranslationAdmin):
    list_display = ("title", "organisation", "kind")
    list_filter = ("kind", "organisation__kind")
    list_select_related = ("organisation",)
    search_fields = ("title_fr", "title_de", "title_en", "organisation__name_fr", "organisation__acronym_fr")
    autocomplete_fields = ("organisation",)


def appointment_label(appointment: Appointment) -> str:
    """ "Léon Gloden — ministre des Affaires intérieures (MAINT), depuis le 17/11/2023"."""
    organisation = appointment.role.organisation
    acronym = f" ({organisation.acronym})" if organisation.acronym else ""
    started = date_format(appointment.started_on, "SHORT_DATE_FORMAT")
    if appointment.ended_on:
        period = _("du %(start)s au %(end)s") % {
            "start": started,
            "end": date_format(appointment.ended_on, "SHORT_DATE_FORMAT"),
        }
    else:
        period = _("depuis le %(start)s") % {"start": started}
    return f"{appointment.person.full_name} — {appointment.role.title}{acronym}, {period}"


class AppointmentAutocompleteView(AutocompleteJsonView):
    """Search-as-you-type for people in their role. With ``on`` (a date as typed in the form, in the
    admin language's format, or ISO), only the roles held that day are offered; each suggestion names
    the role, its organisation and its dates. A date that cannot be read filters nothing."""

    def get_queryset(self):
        queryset = super().get_queryset().select_related("person", "role__organisation")
        day = typed_day(self.request.GET.get("on"))
        return queryset.filter(pk__in=Appointment.objects.valid_on(day).values("pk")) if day else queryset

    def serialize_result(self, obj, to_field_name):
        return {"id": str(getattr(obj, to_field_name)), "text": appointment_label(obj)}


def typed_day(value: str | None) -> date | None:
    """A date as a form reads it (the active language's input formats, or ISO); None if unreadable."""
    try:
        return forms.DateField(required=False).clean((value or "").strip()[:32])
    except ValidationError:
        return None


class DatedAppointmentWidgetMixin:
    """The admin's autocomplete for appointments, offering the roles held on the form's day.

    ``day_fields`` names the form's date fields, first filled first: their current value, as typed, is
    sent with each search (``static/admin-extras/dated-autocomplete.js``), so the suggestions follow a
    date changed in the form before it is saved. ``on`` is the saved day, used while they are empty.
    """

    url_name = "%s:people_appointment_autocomplete"

    def __init__(self, field, admin_site, *, on=None, day_fields=(), **kwargs):
        self.on = on
        self.day_fields = tuple(day_fields)
        super().__init__(field, admin_site, **kwargs)

    @property
    def media(self):
        return super().media + forms.Media(js=("admin/js/jquery.init.js", "admin-extras/dated-autocomplete.js"))

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs=extra_attrs)
        # Started by dated-autocomplete.js instead of the admin's autocomplete.js (same select2 settings).
        attrs["class"] = attrs["class"].replace("admin-autocomplete", "dated-autocomplete")
        attrs["data-day-fields"] = " ".join(self.day_fields)
        attrs["data-day"] = self.on.isoformat() if self.on else ""
        return attrs


class AppointmentAutocomplete(DatedAppointmentWidgetMixin, AutocompleteSelectMultiple):
    """People mentioned (several appointments), in the role held on the form's day."""


class AppointmentAutocompleteSelect(DatedAppointmentWidgetMixin, AutocompleteSelect):
    """One person in a role (a photo's person shown, a meeting's participant), held on the form's day."""


class DatedAppointmentInlineMixin:
    """For an inline whose ``appointment`` is picked among the roles held on the day typed in the parent
    form's ``appointment_day_fields`` (e.g. the photo's date taken, the meeting's start)."""

    appointment_day_fields: tuple[str, ...] = ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "appointment":
            kwargs["widget"] = AppointmentAutocompleteSelect(
                db_field, self.admin_site, day_fields=self.appointment_day_fields
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ("person", "role", "organisation", "started_on", "ended_on")
    list_filter = ("role__organisation", "role__kind")
    list_select_related = ("person", "role__organisation")
    search_fields = ("person__family_name", "person__given_name", "role__title_fr", "role__title_en")
    autocomplete_fields = ("person", "role")
    date_hierarchy = "started_on"

    def get_urls(self):
        view = AppointmentAutocompleteView.as_view(admin_site=self.admin_site)
        return [
            path("autocomplete/", self.admin_site.admin_view(view), name="people_appointment_autocomplete"),
            *super().get_urls(),
        ]

    @admin.display(description="organisation", ordering="role__organisation__name")
    def organisation(self, obj):
        return obj.role.organisation


@admin.register(OrganisationMembership)
class OrganisationMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation")
    list_filter = ("organisation",)
    list_select_related = ("user", "organisation")
    search_fields = ("user__username", "user__email", "organisation__name_fr")
    autocomplete_fields = ("user", "organisation")
