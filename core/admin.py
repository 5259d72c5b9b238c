import taggit.models
from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from core.admin_bases import ReadOnlyAdminMixin
from core.models import AuditEntry, Tag

# taggit registers its own Tag model; the newsroom uses its translatable Tag instead.
if admin.site.is_registered(taggit.models.Tag):
    admin.site.unregister(taggit.models.Tag)


@admin.register(Tag)
class TagAdmin(TabbedTranslationAdmin):
    list_display = ("name", "slug")
    search_fields = ("name_fr", "name_de", "name_en", "name_lb", "slug")
    prepopulated_fields = {"slug": ("name_fr",)}


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "action", "actor", "content_type", "object_id")
    list_filter = ("action", "content_type")
    list_select_related = ("actor", "content_type")
    search_fields = ("action",)
    date_hierarchy = "created_at"
