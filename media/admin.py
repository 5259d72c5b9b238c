from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from core.admin_bases import PublishableContentAdmin, QuickSelectionMixin
from core.admin_widgets import EditingAidsMixin
from core.forms import LuxembourgTimesAdminMixin
from media import captions, services
from media.models import Gallery, GalleryItem, Photo, PhotoPerson, Rendition
from media.uploads import ACCEPTED
from people.admin import DatedAppointmentInlineMixin, typed_day
from people.models import Appointment
from sites.admin import SitesShownAdminMixin


def accept_attribute() -> str:
    extensions = sorted({f".{ext}" for _fmt, (_canonical, exts, _mime) in ACCEPTED.items() for ext in exts})
    return ",".join([*extensions, *sorted({mime for _c, _e, mime in ACCEPTED.values()})])


class PhotoPersonInline(DatedAppointmentInlineMixin, admin.TabularInline):
    model = PhotoPerson
    extra = 0
    autocomplete_fields = ("appointment",)
    appointment_day_fields = ("taken_at_0",)  # the roles held on the day the photo was taken
    fields = ("position", "appointment")
    verbose_name_plural = _(
        "personnes montrées, de gauche à droite (la fonction retenue est celle du jour de la prise)"
    )


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
    if not photo.pk or not photo.image:
        return "—"
    url = reverse("admin-photo-original", kwargs={"pk": photo.pk})
    return format_html('<img src="{}" alt="" width="96" loading="lazy">', url)


class MissingInformationFilter(admin.SimpleListFilter):
    title = _("informations manquantes")
    parameter_name = "missing"

    def lookups(self, request, model_admin):
        return [
            ("alt_text", _("Sans texte alternatif (français)")),
            ("credit", _("Sans crédit")),
            ("any", _("L'un ou l'autre")),
        ]

    def queryset(self, request, queryset):
        no_alt = Q(alt_text_fr="") | Q(alt_text_fr__isnull=True)
        no_credit = Q(credit="")
        condition = {"alt_text": no_alt, "credit": no_credit, "any": no_alt | no_credit}.get(self.value())
        return queryset.filter(condition) if condition is not None else queryset


class RightsFilter(admin.SimpleListFilter):
    title = _("droits")
    parameter_name = "rights"

    def lookups(self, request, model_admin):
        return [
            ("expiring", _("Expirent dans les 30 jours")),
            ("expired", _("Expirés")),
            ("limited", _("Avec une date d'expiration")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "expiring":
            return queryset.filter(rights_expire_on__gt=today, rights_expire_on__lte=today + timedelta(days=30))
        if self.value() == "expired":
            return queryset.filter(rights_expire_on__lte=today)
        if self.value() == "limited":
            return queryset.filter(rights_expire_on__isnull=False)
        return queryset


class PhotoAdminForm(forms.ModelForm):
    """Adding a photo checks the file (media.uploads) and prefills what the officer left empty from its
    metadata; the French alt text is always required here."""

    image = forms.FileField(
        label=_("image"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": accept_attribute()}),
        help_text=_("JPEG, PNG, WebP, AVIF ou HEIC. Crédit, légende, auteur et date sont lus dans le fichier."),
    )
    confirm_suggested_people = forms.BooleanField(
        label=_("Confirmer les personnes lues dans le fichier"),
        required=False,
        help_text=_("Les ajoute comme personnes montrées, dans la fonction exercée le jour de la prise."),
    )

    class Meta:
        model = Photo
        fields = (
            "image",
            "alt_text",
            "caption",
            "caption_is_generated",
            "credit",
            "creator",
            "copyright_notice",
            "licence",
            "consent_note",
            "rights_expire_on",
            "taken_at",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.checked = self.metadata = None
        if "credit" in self.fields:
            self.fields["credit"].required = bool(self.instance.pk)
            if not self.instance.pk:
                self.fields["credit"].help_text = _("Laissé vide, il est lu dans le fichier.")
        if "alt_text_fr" in self.fields:
            self.fields["alt_text_fr"].required = True

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if self.instance.pk:
            return self.instance.image  # the original is never replaced: upload a new photo instead
        if not upload:
            raise ValidationError(_("Choisissez un fichier."), code="required")
        self.checked, self.metadata = services.photo_read_upload(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        caption_fields = {f"caption_{code}" for code, _name in settings.LANGUAGES}
        cleaned["caption_is_generated"] = captions.still_generated(
            ticked=bool(cleaned.get("caption_is_generated")),
            just_ticked="caption_is_generated" in self.changed_data,
            caption_edited=bool(caption_fields & set(self.changed_data)),
        )
        adding = not self.instance.pk and self.metadata is not None
        if adding and not cleaned.get("credit") and not (self.metadata.credit or self.metadata.copyright_notice):
            self.add_error("credit", _("Indiquez le crédit : le fichier n'en contient pas."))
        return cleaned


@admin.register(Photo)
class PhotoAdmin(QuickSelectionMixin, EditingAidsMixin, LuxembourgTimesAdminMixin, TabbedTranslationAdmin):
    form = PhotoAdminForm
    list_display = (
        "preview",
        "__str__",
        "credit",
        "has_alt_text",
        "has_credit",
        "taken_at",
        "width",
        "height",
        "rights_expire_on",
    )
    list_filter = (MissingInformationFilter, RightsFilter, "credit")
    search_fields = ("caption_fr", "caption_de", "caption_en", "credit", "original_filename", "alt_text_fr")
    readonly_fields = (
        "preview",
        "width",
        "height",
        "file_hash",
        "original_filename",
        "uploaded_at",
        "suggestions",
        "published_caption",
    )
    inlines = [PhotoPersonInline, RenditionInline]
    fieldsets = (
        (None, {"fields": ("image", "preview", "alt_text", "caption", "caption_is_generated", "published_caption")}),
        (_("Personnes lues dans le fichier"), {"fields": ("suggestions", "confirm_suggested_people")}),
        (
            _("Droits"),
            {"fields": ("credit", "creator", "copyright_notice", "licence", "consent_note", "rights_expire_on")},
        ),
        (_("Fichier"), {"fields": ("taken_at", "width", "height", "file_hash", "original_filename", "uploaded_at")}),
    )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not obj.suggested_people:
            fieldsets = [fs for fs in fieldsets if "suggestions" not in fs[1]["fields"]]
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return (*fields, "image") if obj is not None else fields

    @admin.display(description=_("aperçu"))
    def preview(self, obj):
        return thumbnail(obj)

    @property
    def media(self):
        return super().media + forms.Media(js=("admin-extras/caption-preview.js",))

    @admin.display(description=_("légende publiée"))
    def published_caption(self, obj):
        """The caption the public pages will show, in each language, as saved; caption-preview.js redoes it
        from the form (people shown, date taken, caption typed) before the photo is saved."""
        written = {f"caption_{code}": getattr(obj, f"caption_{code}", "") or "" for code, _name in settings.LANGUAGES}
        people = obj.people_shown.select_related("appointment__person", "appointment__role") if obj.pk else []
        published = captions.published_captions(
            written=written,
            is_generated=obj.caption_is_generated,
            appointments=[person.appointment for person in people],
            day=captions.taken_on(obj),
        )
        empty = _("(aucune légende)")
        rows = format_html_join(
            "",
            '<dt>{}</dt><dd data-language="{}" lang="{}">{}</dd>',
            ((code.upper(), code, code, published[f"caption_{code}"] or empty) for code, _name in settings.LANGUAGES),
        )
        help_text = _(
            "Ce que montrera la page publique, dans chaque langue. Laissée vide, la légende est générée à "
            "partir des personnes montrées et suit leurs changements jusqu'à ce que vous en écriviez une."
        )
        url = reverse("admin:media_photo_caption_preview")
        return format_html(
            '<dl class="caption-preview" data-url="{}" data-empty="{}">{}</dl><p class="help">{}</p>',
            url,
            empty,
            rows,
            help_text,
        )

    def get_urls(self):
        preview = self.admin_site.admin_view(self.caption_preview_view)
        return [path("caption-preview/", preview, name="media_photo_caption_preview"), *super().get_urls()]

    def caption_preview_view(self, request):
        """JSON: the caption to be published for the form's current state (caption-preview.js)."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        ids = request.GET.getlist("appointment")
        if not all(value.isdigit() for value in ids):
            return JsonResponse({"error": _("Identifiant de fonction invalide.")}, status=400)
        found = Appointment.objects.select_related("person", "role").in_bulk([int(value) for value in ids])
        if len(found) != len(set(ids)):
            return JsonResponse({"error": _("Identifiant de fonction invalide.")}, status=400)
        written = {
            f"caption_{code}": request.GET.get(f"caption_{code}", "")[:10_000] for code, _name in settings.LANGUAGES
        }
        published = captions.published_captions(
            written=written,
            is_generated=captions.still_generated(
                ticked=request.GET.get("caption_is_generated") == "1",
                just_ticked=request.GET.get("just_ticked") == "1",
                caption_edited=request.GET.get("caption_edited") == "1",
            ),
            appointments=[found[int(value)] for value in ids],
            day=typed_day(request.GET.get("taken_at")),
        )
        return JsonResponse({"captions": published})

    @admin.display(description=_("texte alternatif"), boolean=True)
    def has_alt_text(self, obj):
        return bool(obj.alt_text_fr)

    @admin.display(description=_("crédit"), boolean=True)
    def has_credit(self, obj):
        return bool(obj.credit)

    @admin.display(description=_("personnes lues"))
    def suggestions(self, obj):
        rows = [
            (s["name"], _("fiche trouvée") if s.get("person_id") else _("aucune fiche à ce nom"))
            for s in obj.suggested_people or []
        ]
        return format_html("<ol>{}</ol>", format_html_join("", "<li>{} — {}</li>", rows)) if rows else "—"

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        services.photo_create_from_upload(
            file=form.cleaned_data["image"],
            uploaded_by=request.user,
            photo=obj,
            checked=form.checked,
            metadata=form.metadata,
        )

    def response_add(self, request, obj, post_url_continue=None):
        """After an upload, the photo's page: what was read from the file is there to check."""
        if "_addanother" not in request.POST and "_popup" not in request.POST:
            request.POST = request.POST.copy()
            request.POST["_continue"] = "1"
            if obj.suggested_people:
                messages.info(request, _("Des personnes sont nommées dans le fichier : confirmez-les ci-dessous."))
        return super().response_add(request, obj, post_url_continue)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        photo = form.instance
        if form.cleaned_data.get("confirm_suggested_people") and photo.suggested_people:
            services.photo_confirm_suggested_people(photo=photo)
        services.photo_regenerate_captions(photo=photo)


class GalleryItemInline(admin.TabularInline):
    model = GalleryItem
    extra = 0
    autocomplete_fields = ("photo",)
    fields = ("position", "photo", "preview")
    readonly_fields = ("preview",)
    ordering = ("position",)

    @admin.display(description=_("aperçu"))
    def preview(self, obj):
        return thumbnail(obj.photo) if obj.photo_id else "—"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept_attribute()}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files:
            raise ValidationError(_("Choisissez au moins un fichier."), code="required")
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class GalleryUploadForm(forms.Form):
    ORDER_CHOICES = [
        ("selection", _("dans l'ordre de sélection")),
        ("name", _("par nom de fichier")),
        ("taken_at", _("par date de prise de vue")),
    ]
    files = MultipleFileField(label=_("photos"))
    order = forms.ChoiceField(label=_("ordre dans la galerie"), choices=ORDER_CHOICES, initial="selection")
    credit = forms.CharField(
        label=_("crédit"), max_length=200, required=False, help_text=_("Pour les fichiers qui n'en indiquent pas.")
    )


@admin.register(Gallery)
class GalleryAdmin(SitesShownAdminMixin, PublishableContentAdmin):
    list_display = ("title", "status", "publish_at")
    list_filter = ("status",)
    search_fields = ("title_fr", "title_de", "title_en", "slug")
    prepopulated_fields = {"slug": ("title_fr",)}
    inlines = [GalleryItemInline]
    readonly_fields = ("upload_link", "appears_on")
    fieldsets = (
        (None, {"fields": ("title", "slug", "description", "tags", "upload_link")}),
        ("Publication", {"fields": ("lock_version_seen", "status", "publish_at", "unpublish_at", "appears_on")}),
    )

    @admin.display(description=_("photos"))
    def upload_link(self, obj):
        if not obj or not obj.pk:
            return _("Enregistrez la galerie, puis téléversez-y plusieurs photos à la fois.")
        url = reverse("admin:media_gallery_upload", args=[obj.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, _("Téléverser plusieurs photos"))

    def get_urls(self):
        upload = self.admin_site.admin_view(self.upload_view)
        return [path("<int:pk>/upload/", upload, name="media_gallery_upload"), *super().get_urls()]

    def upload_view(self, request, pk):
        """Many photos at once: each file checked, then the photos created in the chosen order."""
        gallery = get_object_or_404(Gallery, pk=pk)
        if not (self.has_change_permission(request, gallery) and request.user.has_perm("media.add_photo")):
            raise PermissionDenied
        form = GalleryUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            files = list(form.cleaned_data["files"])
            try:
                if form.cleaned_data["order"] == "name":
                    files.sort(key=lambda f: f.name.casefold())
                elif form.cleaned_data["order"] == "taken_at":
                    files = _by_date_taken(files)
                fields = {"credit": form.cleaned_data["credit"]} if form.cleaned_data["credit"] else {}
                created = services.gallery_upload_photos(
                    gallery=gallery, files=files, uploaded_by=request.user, fields=fields
                )
            except ValidationError as error:
                details = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
                for name, errors in details.items():
                    form.add_error("files", f"{name} : {' '.join(errors)}" if name else " ".join(errors))
            else:
                messages.success(request, _("%(count)d photos ajoutées à la galerie.") % {"count": len(created)})
                return redirect("admin:media_gallery_change", gallery.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Téléverser des photos dans « %(title)s »") % {"title": gallery.title},
            "gallery": gallery,
            "form": form,
            "opts": self.model._meta,
            "original": gallery,
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/media/gallery/upload.html", context)


def _by_date_taken(files):
    """Files sorted by the date taken read from their metadata (undated last, then by name)."""
    keyed = []
    for file in files:
        try:
            _checked, metadata = services.photo_read_upload(file)
            taken = metadata.taken_at
        except ValidationError:
            taken = None  # refused with its message when the photos are created
        keyed.append((taken is None, taken.timestamp() if taken else 0, file.name.casefold(), file))
    return [entry[-1] for entry in sorted(keyed, key=lambda entry: entry[:3])]
