"""The release admin: content editing, the publication buttons, revisions, calendar and dashboard.

Organisation rules (releases/permissions.py) hold on every admin URL: the changelist only lists the
releases a user may see, and any view reached with the id of another organisation's release answers
403 (see ``get_object`` and the ``has_*_permission`` methods).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.forms.models import BaseInlineFormSet
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from modeltranslation.admin import TabbedTranslationAdmin

from core.admin_bases import QuickSelectionMixin
from core.admin_widgets import EditingAidsMixin, InlinePlacementMixin, TagAutocompleteMixin
from core.forms import LUXEMBOURG, TIME_ZONE_LABEL, LuxembourgTimesAdminMixin
from core.revisions import RevisionAdminMixin
from core.rich_text import RichTextAdminMixin
from releases import admin_views, permissions, services
from releases.forms import ReleaseAdminForm
from releases.models import PreviewLink, Release, ReleaseOrganisation, ReleaseSlugHistory, ReleaseUpdate
from releases.selectors import LIST_DEFERRED_FIELDS
from sites.admin import SitesShownAdminMixin


class IssuersFormSet(BaseInlineFormSet):
    """A press officer's release must stay issued by one of their organisations."""

    request = None

    def clean(self):
        super().clean()
        user = self.request.user if self.request else None
        if user is None or permissions.sees_all_organisations(user):
            return
        kept = [
            form.cleaned_data["organisation"].pk
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("organisation")
        ]
        if not set(kept) & set(permissions.organisation_ids(user)):
            raise ValidationError(_("Au moins une organisation émettrice doit être l'une des vôtres."))


class ReleaseOrganisationInline(admin.TabularInline):
    model = ReleaseOrganisation
    formset = IssuersFormSet
    extra = 0
    min_num = 1
    autocomplete_fields = ("organisation",)
    fields = ("position", "organisation")

    def get_formset(self, request, obj=None, **kwargs):
        """A release needs at least one issuing organisation: say so instead of saving without."""
        formset = super().get_formset(request, obj, validate_min=True, **kwargs)
        formset.request = request
        return formset


class ReleaseUpdateInline(admin.TabularInline):
    model = ReleaseUpdate
    extra = 0
    fields = ("published_at", "major", "note", "internal_note", "author")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PreviewLinkInline(admin.TabularInline):
    model = PreviewLink
    extra = 0
    fields = ("token", "recipient", "created_by", "created_at", "expires_at", "revoked_at")
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = gettext_lazy("liens d'aperçu (créés et révoqués avec les boutons ci-dessous)")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


PUBLICATION_READONLY = (
    "status",
    "publish_at_local",
    "unpublish_at_local",
    "first_published_at_local",
    "public_updated_at_local",
    "edited_at_local",
    "created_by",
)


def local_time_display(field: str, label: str):
    """A read-only time of the release, written in Luxembourg time with the zone named."""

    @admin.display(description=format_lazy("{}, {}", label, TIME_ZONE_LABEL), ordering=field)
    def display(self, obj):
        value = getattr(obj, field) if obj else None
        if value is None:
            return "—"
        return date_format(timezone.localtime(value, LUXEMBOURG), "DATETIME_FORMAT")

    display.__name__ = f"{field}_local"
    return display


#: "Manque en allemand": the language names as the filter and the status table write them.
MISSING_IN = {
    "fr": gettext_lazy("Manque en français"),
    "de": gettext_lazy("Manque en allemand"),
    "en": gettext_lazy("Manque en anglais"),
    "lb": gettext_lazy("Manque en luxembourgeois"),
}
FIELD_NAMES = {
    "title": gettext_lazy("titre"),
    "slug": gettext_lazy("identifiant d'URL"),
    "lead": gettext_lazy("chapeau"),
    "body": gettext_lazy("texte"),
}


def missing_translation_q(language: str) -> Q:
    """Releases whose title, slug, lead or body is empty in ``language``."""
    condition = Q()
    for field in services.TRANSLATED_CONTENT:
        condition |= Q(**{f"{field}_{language}": ""}) | Q(**{f"{field}_{language}__isnull": True})
    return condition


class CappedCountPaginator(Paginator):
    """Counts at most ``cap`` releases. Beyond, the change list says "more than 500" and pages as
    far as that; the filters and the search narrow it to the rest. Counting 100,000 releases, or
    every title containing a common word, cost more than the rest of the page."""

    cap = 500

    @cached_property
    def count(self):
        found = self.object_list.values("pk")[: self.cap + 1].count()  # no per-row annotation
        self.capped = found > self.cap
        return min(found, self.cap)


class ReleaseChangeList(ChangeList):
    """The change list reads no bodies nor search vectors (the bulk of a release's row): each row's
    complete languages are worked out by the database (``complete_<code>``, the list filter's rule)."""

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        if request.method != "GET":  # an action gets whole releases
            return queryset
        complete = {
            f"complete_{code}": ExpressionWrapper(~missing_translation_q(code), output_field=BooleanField())
            for code in settings.LANGUAGE_CODES
        }
        return queryset.defer(*LIST_DEFERRED_FIELDS).annotate(**complete)


class MissingTranslationFilter(admin.SimpleListFilter):
    """ "Manque en allemand": a language is complete with a title, a slug, a lead and a body."""

    title = gettext_lazy("traduction")
    parameter_name = "missing_language"

    def lookups(self, request, model_admin):
        return [(code, MISSING_IN[code]) for code in settings.LANGUAGE_CODES]

    def queryset(self, request, queryset):
        if self.value() in settings.LANGUAGE_CODES:
            return queryset.filter(missing_translation_q(self.value()))
        return queryset


@admin.register(Release)
class ReleaseAdmin(
    QuickSelectionMixin,
    EditingAidsMixin,
    InlinePlacementMixin,
    RichTextAdminMixin,
    TagAutocompleteMixin,
    RevisionAdminMixin,
    LuxembourgTimesAdminMixin,
    SitesShownAdminMixin,
    TabbedTranslationAdmin,
):
    form = ReleaseAdminForm
    change_form_template = "admin/releases/release/change_form.html"
    rich_text_fields = ("body",)
    list_display = ("title", "kind", "lead_organisation", "status", "publish_at", "original_language", "languages")
    # Dates by a list filter (today, 7 days, month, year), not a date hierarchy: the hierarchy's
    # DISTINCT over every release's date costs more than the rest of the page at 100,000 releases;
    # the editorial calendar browses by day. No full count under a search (one COUNT fewer), and at most
    # 500 counted (CappedCountPaginator).
    list_filter = (
        "status",
        ("publish_at", admin.DateFieldListFilter),
        "kind",
        MissingTranslationFilter,
        "original_language",
        "issuers__organisation",
    )
    list_per_page = 50
    paginator = CappedCountPaginator
    show_full_result_count = False
    actions = ["copy_original_to_empty_languages"]
    search_fields = ("title_fr", "title_de", "title_en", "title_lb", "slug_fr")
    autocomplete_fields = ("appointments", "meeting", "gallery")
    prepopulated_fields = {"slug_fr": ("title_fr",), "slug_de": ("title_de",), "slug_en": ("title_en",)}
    readonly_fields = (*PUBLICATION_READONLY, "appears_on", "translation_status", "gallery_tools")
    inlines = [ReleaseOrganisationInline, ReleaseUpdateInline, PreviewLinkInline]
    # Filled top to bottom: the kind, then the issuing organisations, then the text (get_fieldsets).
    inline_placement = {ReleaseOrganisationInline: 0}

    publish_at_local = local_time_display("publish_at", gettext_lazy("publier le"))
    unpublish_at_local = local_time_display("unpublish_at", gettext_lazy("dépublier le"))
    first_published_at_local = local_time_display("first_published_at", gettext_lazy("première publication"))
    public_updated_at_local = local_time_display("public_updated_at", gettext_lazy("dernière mise à jour publique"))
    edited_at_local = local_time_display("edited_at", gettext_lazy("modifié le"))

    # --- who sees what -------------------------------------------------------------------------

    def get_changelist(self, request, **kwargs):
        return ReleaseChangeList

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("issuers__organisation")
        return permissions.releases_for(request.user, queryset)

    def get_object(self, request, object_id, from_field=None):
        # Found whatever its organisation, so that the has_*_permission checks below answer 403
        # (instead of the admin's redirect) for another organisation's release.
        model = self.model
        field = model._meta.pk if from_field is None else model._meta.get_field(from_field)
        try:
            object_id = field.to_python(object_id)
            return model._default_manager.prefetch_related("issuers").get(**{field.name: object_id})
        except (model.DoesNotExist, ValidationError, ValueError):
            return None

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (obj is None or permissions.can_access(request.user, obj))

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None:
            return True
        if not permissions.can_access(request.user, obj):
            return False
        # A public release changes only through a correction, which only an editor publishes.
        return not obj.is_public() or permissions.can_publish(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or permissions.can_access(request.user, obj)
        )

    # --- the form ------------------------------------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            # The issuing organisations follow the kind (inline_placement), then the text.
            (None, {"fields": ("kind",)}),
            (_("Texte"), {"fields": ("original_language", "translation_status", "title", "slug", "lead", "body")}),
            (
                _("Contexte"),
                {"fields": ("event_date", "appointments", "meeting", "gallery", "gallery_tools", "tags")},
            ),
            (
                _("Publication"),
                {"fields": (*PUBLICATION_READONLY, "appears_on", "withdrawal_note")},
            ),
        ]
        if obj is None or self.has_change_permission(request, obj):
            fieldsets[3][1]["fields"] = ("lock_version_seen", *fieldsets[3][1]["fields"])
        if obj is not None and self.has_change_permission(request, obj) and permissions.can_publish(request.user, obj):
            fieldsets.append(
                (_("Programmer"), {"fields": ("schedule_at", "schedule_unpublish_at"), "classes": ("collapse",)})
            )
            fieldsets.append(
                (
                    _("Corriger un communiqué publié"),
                    {
                        "fields": (
                            "correction_major",
                            "correction_note_fr",
                            "correction_note_de",
                            "correction_note_en",
                            "correction_note_lb",
                            "internal_note",
                        ),
                        "classes": ("collapse",),
                    },
                )
            )
            fieldsets.append((_("Dépublier"), {"fields": ("unpublish_reason",), "classes": ("collapse",)}))
        return self._patch_fieldsets(fieldsets)  # title → title_fr, title_de... (modeltranslation)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "appointments":
            from people.admin import AppointmentAutocomplete

            kwargs["widget"] = AppointmentAutocomplete(
                db_field, self.admin_site, on=self.release_day(request), day_fields=("event_date", "schedule_at_0")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def release_day(self, request):
        """The release's day (its event, else its publication), to offer the roles held then."""
        object_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
        if not str(object_id or "").isdigit():
            return None
        release = Release.objects.filter(pk=object_id).only("event_date", "publish_at").first()
        if release is None:
            return None
        if release.event_date:
            return release.event_date
        return timezone.localdate(release.publish_at, LUXEMBOURG) if release.publish_at else None

    def slugs_locked(self, request, obj) -> bool:
        """After its first publication, a release's addresses are changed only by an editor."""
        return bool(obj and obj.first_published_at and not permissions.can_publish(request.user, obj))

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if self.slugs_locked(request, obj):
            fields = (*fields, *(f"slug_{code}" for code in settings.LANGUAGE_CODES))
        return fields

    def get_prepopulated_fields(self, request, obj=None):
        # A published address no longer follows its title.
        if obj is not None and obj.first_published_at:
            return {}
        return super().get_prepopulated_fields(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request = request
        return form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        obj = self.get_object(request, object_id) if object_id else None
        extra_context = {**(extra_context or {}), **admin_views.publication_context(request, obj)}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        before = None
        if change:
            stored = Release.objects.get(pk=obj.pk)
            if stored.is_public():
                before = services.public_addresses(stored)
        super().save_model(request, obj, form, change)
        if before is not None:
            services.remember_moved_addresses(before=before, release=obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        release = form.instance
        action = form.action
        user = request.user
        done = None
        if action == "submit":
            services.release_submit(release=release, by=user)
            done = _("Le communiqué est soumis pour relecture.")
        elif action == "schedule":
            services.release_schedule(
                release=release,
                by=user,
                publish_at=form.cleaned_data["schedule_at"],
                unpublish_at=form.cleaned_data.get("schedule_unpublish_at"),
            )
            done = _("Le communiqué est programmé.")
        elif action == "publish":
            services.release_publish(release=release, by=user)
            done = _("Le communiqué est publié.")
        elif action == "correct":
            services.release_publish_correction(
                release=release,
                by=user,
                major=bool(form.cleaned_data.get("correction_major")),
                notes=form.correction_notes(),
                internal_note=form.cleaned_data.get("internal_note", ""),
            )
            done = _("La correction est publiée.")
        elif action == "withdraw":
            services.release_withdraw(release=release, by=user, notes=form.withdrawal_notes())
            done = _("Le communiqué est retiré ; sa page reste en ligne avec la note de retrait.")
        elif action == "unpublish":
            services.release_unpublish(release=release, by=user, reason=form.cleaned_data.get("unpublish_reason", ""))
            done = _("Le communiqué est dépublié.")
        if done:
            messages.success(request, done)
        language = form.copy_language
        if language:
            try:
                copied = services.release_copy_original(release=release, language=language, by=user)
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            else:
                if copied:
                    messages.success(
                        request,
                        _("L'original est copié dans la langue %(language)s : traduisez-le maintenant.")
                        % {"language": language},
                    )

    def response_add(self, request, obj, post_url_continue=None):
        if "_copy_original" in request.POST:
            request.POST = request.POST.copy()
            request.POST["_continue"] = "1"
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_copy_original" in request.POST:
            request.POST = request.POST.copy()
            request.POST["_continue"] = "1"
        return super().response_change(request, obj)

    # --- translations --------------------------------------------------------------------------

    @admin.display(description=gettext_lazy("langues complètes"))
    def languages(self, obj):
        complete = [code.upper() for code in settings.LANGUAGE_CODES if getattr(obj, f"complete_{code}")]
        return ", ".join(complete) or "—"

    @admin.display(description=gettext_lazy("traductions"))
    def translation_status(self, obj):
        """Per language: complete, or what is missing, with a button copying the original into it."""
        rows = []
        editable = obj is not None and obj.pk and not obj.is_public()
        original = obj.original_language if obj else settings.LANGUAGE_CODE
        for code, name in settings.LANGUAGES:
            missing = services.translation_missing(obj, code) if obj else list(services.TRANSLATED_CONTENT)
            if not missing:
                state = format_html('<span class="complete">{}</span>', _("complète"))
            else:
                state = format_html(
                    '<span class="missing">{} {}</span>',
                    _("manque :"),
                    ", ".join(str(FIELD_NAMES[field]) for field in missing),
                )
            button = ""
            if editable and code != original and len(missing) == len(services.TRANSLATED_CONTENT):
                button = format_html(
                    '<button type="submit" class="button copy-original" name="_copy_original" value="{}">{}</button>',
                    code,
                    _("Enregistrer et copier l'original comme point de départ"),
                )
            note = format_html(" — {}", _("langue d'origine")) if code == original else ""
            label = format_html("{} ({}){}", name, code, note)
            rows.append((code, label, state, button))
        body = format_html_join("", '<tr data-language="{}"><th>{}</th><td>{}</td><td>{}</td></tr>', rows)
        return format_html('<table class="translation-status">{}</table>', body)

    @admin.action(description=gettext_lazy("Copier l'original dans les langues vides (point de départ)"))
    def copy_original_to_empty_languages(self, request, queryset):
        done = refused = 0
        for release in queryset:
            empty = [
                code
                for code in settings.LANGUAGE_CODES
                if code != release.original_language
                and len(services.translation_missing(release, code)) == len(services.TRANSLATED_CONTENT)
            ]
            for code in empty:
                try:
                    if services.release_copy_original(release=release, language=code, by=request.user):
                        done += 1
                except (ValidationError, PermissionDenied):
                    refused += 1
                    break
        if done:
            messages.success(request, _("%(count)d traductions préparées à partir de l'original.") % {"count": done})
        if refused:
            messages.warning(
                request,
                _("%(count)d communiqués publics ou inaccessibles n'ont pas été modifiés.") % {"count": refused},
            )
        if not done and not refused:
            messages.info(request, _("Aucune langue vide dans la sélection."))

    # --- gallery -------------------------------------------------------------------------------

    @admin.display(description=gettext_lazy("photos de la galerie"))
    def gallery_tools(self, obj):
        """Links to the gallery's multi-upload and to a new gallery, from the release form."""
        links = []
        gallery = obj.gallery if obj is not None and obj.pk else None
        if gallery is not None:
            links.append((reverse("admin:media_gallery_upload", args=[gallery.pk]), _("Téléverser plusieurs photos")))
            links.append(
                (
                    reverse("admin:media_gallery_change", args=[gallery.pk]),
                    _("Ordre, personnes montrées et légendes"),
                )
            )
        links.append((reverse("admin:media_gallery_add"), _("Créer une galerie")))
        return format_html_join(" ", '<a class="button" href="{}" target="_blank" rel="noopener">{}</a>', links)

    # --- extra pages ---------------------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        extra = [
            path("calendrier/", view(admin_views.CalendarView.as_view(model_admin=self)), name="releases_calendar"),
            path(
                "tableau-de-bord/", view(admin_views.DashboardView.as_view(model_admin=self)), name="releases_dashboard"
            ),
            path(
                "<int:pk>/revisions/",
                view(admin_views.RevisionListView.as_view(model_admin=self)),
                name="releases_release_revisions",
            ),
            path(
                "<int:pk>/revisions/comparer/",
                view(admin_views.RevisionCompareView.as_view(model_admin=self)),
                name="releases_release_compare",
            ),
            path(
                "<int:pk>/revisions/<int:version_id>/restaurer/",
                view(admin_views.RevisionRestoreView.as_view(model_admin=self)),
                name="releases_release_restore",
            ),
            path(
                "<int:pk>/liens-apercu/",
                view(admin_views.PreviewLinkCreateView.as_view(model_admin=self)),
                name="releases_release_preview_link",
            ),
            path(
                "<int:pk>/liens-apercu/<int:link_id>/revoquer/",
                view(admin_views.PreviewLinkRevokeView.as_view(model_admin=self)),
                name="releases_release_preview_link_revoke",
            ),
        ]
        return extra + super().get_urls()

    @admin.display(description=gettext_lazy("organisation"))
    def lead_organisation(self, obj):
        issuers = list(obj.issuers.all())
        return issuers[0].organisation if issuers else "—"


@admin.register(ReleaseSlugHistory)
class ReleaseSlugHistoryAdmin(admin.ModelAdmin):
    list_display = ("path", "release", "language", "created_at")
    list_select_related = ("release",)
    search_fields = ("path",)
    autocomplete_fields = ("release",)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(release__in=permissions.releases_for(request.user))
