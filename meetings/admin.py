from django.contrib import admin
from django.db import models

from core.admin_bases import PublishableContentAdmin
from meetings.models import Meeting, Participation
from people.admin import DatedAppointmentInlineMixin
from sites.addresses import meeting_organisations
from sites.admin import SitesShownAdminMixin


class ParticipationInline(DatedAppointmentInlineMixin, admin.TabularInline):
    model = Participation
    extra = 0
    autocomplete_fields = ("appointment",)
    appointment_day_fields = ("starts_at_0",)  # the roles held on the meeting's first day
    fields = ("position", "appointment")


@admin.register(Meeting)
class MeetingAdmin(SitesShownAdminMixin, PublishableContentAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("title", "kind", "starts_at", "city", "host", "status")
    list_filter = ("kind", "status", "country")
    list_select_related = ("host",)
    search_fields = ("title_fr", "title_de", "title_en", "slug", "city_fr")
    prepopulated_fields = {"slug": ("title_fr",)}
    autocomplete_fields = ("host",)
    date_hierarchy = "starts_at"
    inlines = [ParticipationInline]
    fieldsets = (
        (None, {"fields": ("title", "slug", "kind", "configuration", "description", "tags")}),
        ("Date et lieu", {"fields": ("starts_at", "ends_at", "venue", "city", "country", "host", "external_url")}),
        ("Publication", {"fields": ("lock_version_seen", "status", "publish_at", "unpublish_at", "appears_on")}),
    )
    readonly_fields = ("appears_on",)

    def site_organisations(self, obj):
        return meeting_organisations(obj)
