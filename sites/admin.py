from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from sites.models import Site, SiteHost, SiteLink


class SiteHostInline(admin.TabularInline):
    model = SiteHost
    extra = 1
    min_num = 1
    fields = ("host", "position")


class SiteLinkInline(TranslationTabularInline):
    model = SiteLink
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    extra = 0
    fields = ("label", "url", "position")


@admin.register(Site)
class SiteAdmin(TabbedTranslationAdmin):
    """Central editors keep the sites: host names, organisation, name, logo, colour, contact, footer links."""

    list_display = ("name", "short_name", "organisation", "host_names")
    list_select_related = ("organisation",)
    search_fields = ("name_fr", "short_name_fr", "hosts__host")
    autocomplete_fields = ("organisation",)
    inlines = [SiteHostInline, SiteLinkInline]
    fieldsets = (
        (None, {"fields": ("name", "short_name", "organisation")}),
        (_("Apparence"), {"fields": ("accent_colour", "logo")}),
        (_("Pied de page"), {"fields": ("contact",)}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("hosts")

    @admin.display(description=_("noms d'hôte"))
    def host_names(self, site):
        return ", ".join(host.host for host in site.hosts.all())
