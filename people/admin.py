from django.contrib import admin
from django.db import models
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from newsroom.rich_text import RichTextAdminMixin
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
class PersonAdmin(RichTextAdminMixin, TabbedTranslationAdmin):
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


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ("person", "role", "organisation", "started_on", "ended_on")
    list_filter = ("role__organisation", "role__kind")
    list_select_related = ("person", "role__organisation")
    search_fields = ("person__family_name", "person__given_name", "role__title_fr", "role__title_en")
    autocomplete_fields = ("person", "role")
    date_hierarchy = "started_on"

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
