from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from newsroom.admin_widgets import TagAutocompleteMixin
from releases.models import Release, ReleaseOrganisation, ReleaseSlugHistory, ReleaseUpdate


class ReleaseOrganisationInline(admin.TabularInline):
    model = ReleaseOrganisation
    extra = 0
    min_num = 1
    autocomplete_fields = ("organisation",)
    fields = ("position", "organisation")

    def get_formset(self, request, obj=None, **kwargs):
        """A release needs at least one issuing organisation: say so instead of saving without."""
        return super().get_formset(request, obj, validate_min=True, **kwargs)


class ReleaseUpdateInline(admin.TabularInline):
    model = ReleaseUpdate
    extra = 0
    fields = ("published_at", "major", "note")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Release)
class ReleaseAdmin(TagAutocompleteMixin, TabbedTranslationAdmin):
    list_display = ("title", "kind", "lead_organisation", "status", "publish_at", "original_language")
    list_filter = ("status", "kind", "original_language", "issuers__organisation")
    search_fields = ("title_fr", "title_de", "title_en", "title_lb", "slug_fr")
    date_hierarchy = "publish_at"
    autocomplete_fields = ("appointments", "meeting", "gallery")
    prepopulated_fields = {"slug_fr": ("title_fr",), "slug_de": ("title_de",), "slug_en": ("title_en",)}
    inlines = [ReleaseOrganisationInline, ReleaseUpdateInline]
    fieldsets = (
        (None, {"fields": ("kind", "original_language", "title", "slug", "lead", "body")}),
        ("Contexte", {"fields": ("event_date", "appointments", "meeting", "gallery", "tags")}),
        ("Publication", {"fields": ("status", "publish_at", "unpublish_at", "withdrawal_note")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("issuers__organisation")

    @admin.display(description="organisation")
    def lead_organisation(self, obj):
        issuers = list(obj.issuers.all())
        return issuers[0].organisation if issuers else "—"


@admin.register(ReleaseSlugHistory)
class ReleaseSlugHistoryAdmin(admin.ModelAdmin):
    list_display = ("path", "release", "language", "created_at")
    list_select_related = ("release",)
    search_fields = ("path",)
    autocomplete_fields = ("release",)
