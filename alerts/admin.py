"""The admin shows counts of subscriptions, never lists of addresses; central editors (the
``alerts.export_subscription`` permission) may export them as CSV, to answer a data request."""

from __future__ import annotations

import csv

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from alerts.embargo import embargo_revoke, embargo_send
from alerts.models import EmbargoSend, Journalist, JournalistList, Subscription
from core.admin_bases import ReadOnlyAdminMixin
from core.publication import Status
from releases import permissions
from releases.models import Release


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    def has_view_permission(self, request, obj=None):
        # One subscription's page shows its address: only for those who may export addresses.
        if obj is not None and not request.user.has_perm("alerts.export_subscription"):
            return False
        return super().has_view_permission(request, obj)

    def get_urls(self):
        return [
            path("export/", self.admin_site.admin_view(self.export_view), name="alerts_subscription_export"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        rows = Subscription.objects.all()
        totals = rows.aggregate(
            total=Count("id"),
            confirmed=Count("id", filter=Q(confirmed_at__isnull=False)),
            pending=Count("id", filter=Q(confirmed_at__isnull=True)),
            suspended=Count("id", filter=Q(suspended_at__isnull=False)),
            daily=Count("id", filter=Q(frequency="daily", confirmed_at__isnull=False)),
            addresses=Count("address", distinct=True),
        )
        by_language = (
            rows.filter(confirmed_at__isnull=False).values("language").annotate(n=Count("id")).order_by("language")
        )
        by_filter = (
            rows.filter(confirmed_at__isnull=False)
            .values("kind", "organisation__slug", "person__slug", "tag__slug", "meeting__slug")
            .annotate(n=Count("id"))
            .order_by("-n")[:50]
        )
        context = {
            **self.admin_site.each_context(request),
            "title": self.model._meta.verbose_name_plural,
            "opts": self.model._meta,
            "totals": totals,
            "by_language": by_language,
            "by_filter": by_filter,
            "can_export": request.user.has_perm("alerts.export_subscription"),
        }
        return TemplateResponse(request, "admin/alerts/subscription_counts.html", context)

    def export_view(self, request):
        if not request.user.has_perm("alerts.export_subscription"):
            raise PermissionDenied
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="abonnements.csv"'
        response["Cache-Control"] = "private, no-store"
        writer = csv.writer(response)
        writer.writerow(["address", "language", "filters", "frequency", "wants_updates", "created_at", "confirmed_at"])
        for row in Subscription.objects.order_by("address", "id").iterator():
            writer.writerow(
                [
                    row.address,
                    row.language,
                    " ".join(row.keys),
                    row.frequency,
                    row.wants_updates,
                    row.created_at,
                    row.confirmed_at,
                ]
            )
        return response


class JournalistInline(admin.TabularInline):
    model = Journalist
    extra = 1


@admin.register(JournalistList)
class JournalistListAdmin(admin.ModelAdmin):
    list_display = ("name", "size")
    inlines = [JournalistInline]

    @admin.display(description=_("journalistes"))
    def size(self, obj):
        return obj.journalists.count()


class EmbargoSendForm(forms.Form):
    release = forms.ModelChoiceField(
        label=_("Communiqué programmé"),
        queryset=Release.objects.none(),
        help_text=_("Seuls les communiqués programmés, pas encore publiés, que vous pouvez publier."),
    )
    journalist_list = forms.ModelChoiceField(label=_("Liste de journalistes"), queryset=JournalistList.objects.all())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = permissions.releases_for(user).filter(status=Status.SCHEDULED, publish_at__gt=timezone.now())
        self.fields["release"].queryset = allowed.order_by("publish_at")


@admin.register(EmbargoSend)
class EmbargoSendAdmin(admin.ModelAdmin):
    list_display = ("release", "journalist_name", "outlet", "language", "created_at", "sent_at", "link_state")
    list_filter = ("release",)
    readonly_fields = [field.name for field in EmbargoSend._meta.fields]
    actions = ["revoke_links"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("release", "preview_link")
        return queryset.filter(release__in=permissions.releases_for(request.user))

    @admin.display(description=_("lien personnel"))
    def link_state(self, obj):
        link = obj.preview_link
        if link.revoked_at:
            return _("révoqué le %(date)s") % {
                "date": formats.date_format(timezone.localtime(link.revoked_at), "SHORT_DATETIME_FORMAT")
            }
        if not link.is_active():
            return _("expiré")
        return _("actif jusqu'au %(date)s") % {
            "date": formats.date_format(timezone.localtime(link.expires_at), "SHORT_DATETIME_FORMAT")
        }

    @admin.action(description=_("Révoquer les liens personnels choisis"))
    def revoke_links(self, request, queryset):
        revoked = 0
        for send in queryset.select_related("preview_link__release"):
            if send.preview_link.revoked_at is None:
                embargo_revoke(send=send, by=request.user)
                revoked += 1
        self.message_user(request, _("%(count)s lien(s) révoqué(s).") % {"count": revoked})

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = EmbargoSendForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                sends = embargo_send(
                    release=form.cleaned_data["release"],
                    journalist_list=form.cleaned_data["journalist_list"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    _("%(count)s copie(s) sous embargo en cours d'envoi, chacune avec son lien personnel.")
                    % {"count": len(sends)},
                )
                return HttpResponseRedirect(reverse("admin:alerts_embargosend_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Envoyer un communiqué sous embargo"),
            "opts": self.model._meta,
            "form": form,
        }
        return TemplateResponse(request, "admin/alerts/embargo_send.html", context)
