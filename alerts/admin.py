"""The admin shows counts of subscriptions, never lists of addresses; central editors (the
``alerts.export_subscription`` permission) may export them as CSV, to answer a data request."""

from __future__ import annotations

import csv

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path

from alerts.models import Journalist, JournalistList, Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

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

    @admin.display(description="journalistes")
    def size(self, obj):
        return obj.journalists.count()
