from django.contrib import admin
from django.utils.html import format_html
from modeltranslation.admin import TabbedTranslationAdmin

from media.models import Gallery, GalleryItem, Photo, PhotoPerson, Rendition
from newsroom.admin_widgets import TagAutocompleteMixin
from newsroom.forms import LuxembourgTimesAdminMixin, PublishableAdminForm
from newsroom.revisions import RevisionAdminMixin


class PhotoPersonInline(admin.TabularInline):
    model = PhotoPerson
    extra = 0
    autocomplete_fields = ("appointment",)
    fields = ("position", "appointment")


class RenditionInline(admin.TabularInline):
    model = Rendition
    extra = 0
    fields = ("format", "width", "height", "size_bytes")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


def thumbnail(photo: Photo) -> str:
    """A small preview for staff, served by the admin-only original view."""
    from django.urls import reverse

    if not photo.pk or not photo.image:
        return "—"
    url = reverse("admin-photo-original", kwargs={"pk": photo.pk})
    return format_html('<img src="{}" alt="" width="96" loading="lazy">', url)


@admin.register(Photo)
class PhotoAdmin(LuxembourgTimesAdminMixin, TabbedTranslationAdmin):
    list_display = ("preview", "__str__", "credit", "taken_at", "width", "height", "rights_expire_on")
    list_filter = ("credit", "rights_expire_on")
    search_fields = ("caption_fr", "caption_de", "caption_en", "credit", "original_filename", "alt_text_fr")
    readonly_fields = ("preview", "width", "height", "file_hash", "original_filename", "uploaded_at")
    inlines = [PhotoPersonInline, RenditionInline]
    fieldsets = (
        (None, {"fields": ("image", "preview", "alt_text", "caption", "caption_is_generated")}),
        (
            "Droits",
            {"fields": ("credit", "creator", "copyright_notice", "licence", "consent_note", "rights_expire_on")},
        ),
        ("Fichier", {"fields": ("taken_at", "width", "height", "file_hash", "original_filename", "uploaded_at")}),
    )

    @admin.display(description="aperçu")
    def preview(self, obj):
        return thumbnail(obj)


class GalleryItemInline(admin.TabularInline):
    model = GalleryItem
    extra = 0
    autocomplete_fields = ("photo",)
    fields = ("position", "photo")


@admin.register(Gallery)
class GalleryAdmin(TagAutocompleteMixin, RevisionAdminMixin, LuxembourgTimesAdminMixin, TabbedTranslationAdmin):
    form = PublishableAdminForm
    list_display = ("title", "status", "publish_at")
    list_filter = ("status",)
    search_fields = ("title_fr", "title_de", "title_en", "slug")
    prepopulated_fields = {"slug": ("title_fr",)}
    inlines = [GalleryItemInline]
    fieldsets = (
        (None, {"fields": ("title", "slug", "description", "tags")}),
        ("Publication", {"fields": ("lock_version_seen", "status", "publish_at", "unpublish_at")}),
    )
