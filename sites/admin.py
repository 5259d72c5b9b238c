from django import forms
from django.contrib import admin
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from sites.addresses import canonical_site, site_url, sites_carrying
from sites.models import Site, SiteHost, SiteLink


class SitesShownAdminMixin:
    """For content that sites carry (releases, meetings, galleries): on which sites it appears, with
    their addresses, from the organisations it is stored with, shown before it is published; and "view
    on site" opens its one canonical address once it is public.

    ``site_organisations(obj)`` gives the organisations in the order that picks the canonical site."""

    def site_organisations(self, obj) -> list[int]:
        return list(obj.organisation_ids or ())

    @admin.display(description=_("apparaît sur"))
    def appears_on(self, obj):
        ids = self.site_organisations(obj) if obj is not None and obj.pk else []
        if obj is None or not obj.pk:
            return gettext("Les sites s'affichent ici une fois le contenu enregistré avec ses organisations.")
        canonical = canonical_site(ids).key
        # The address it will have once public; before a date is set, the site's own address.
        path = obj.get_absolute_url() if obj.publish_at else "/"
        rows = []
        canonical_note = " ({})".format(gettext("adresse canonique"))
        for site in sites_carrying(ids):
            url = site_url(site, path)
            note = canonical_note if site.key == canonical else ""
            rows.append((site.display_name, url, url, note))
        if not rows:
            return gettext("Aucun site configuré ne montre ce contenu.")
        return format_html(
            '<ul class="appears-on">{}</ul>',
            format_html_join("", '<li><strong>{}</strong> — <a href="{}">{}</a>{}</li>', rows),
        )

    def view_on_site(self, obj):
        """Once public, the canonical address (whichever site the editor works from); before, the
        address on this host (a draft's preview, where the editor is signed in)."""
        path = obj.get_absolute_url()
        if not obj.is_public():
            return path
        return site_url(canonical_site(self.site_organisations(obj)), path)


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


#: What a logo may be: the formats every browser shows, and small (it is on every page).
LOGO_EXTENSIONS = ["png", "jpg", "jpeg", "webp"]
LOGO_MAX_BYTES = 512 * 1024


class SiteAdminForm(forms.ModelForm):
    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "size"):
            FileExtensionValidator(LOGO_EXTENSIONS)(logo)
            if logo.size > LOGO_MAX_BYTES:
                raise forms.ValidationError(_("Un logo de 512 Ko au plus."))
        return logo


@admin.register(Site)
class SiteAdmin(TabbedTranslationAdmin):
    """Central editors keep the sites: host names, organisation, name, logo, colour, contact, footer links."""

    form = SiteAdminForm

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
