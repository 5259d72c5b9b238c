"""Admin pages around releases: revisions (list, compare, restore), preview links, calendar, dashboard.

Every view checks the organisation rules of releases/permissions.py: a release another organisation
issues answers 403 whatever id is typed.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from reversion.models import Version

from core.audit import entries_for
from core.forms import LUXEMBOURG
from core.models import TaggedItem
from core.publication import Status
from meetings.models import Meeting
from people.models import Appointment, Organisation
from releases import permissions, services
from releases.models import PreviewLink, Release, ReleaseOrganisation


def publication_state(release: Release) -> str:
    now = timezone.now()
    if release.is_gone(now):
        return _("dépublié (l'adresse répond 410)")
    if release.is_embargoed:
        return _("programmé (sous embargo)")
    if release.status == Status.WITHDRAWN:
        return _("retiré (page en ligne avec la note de retrait)")
    if release.is_public(now):
        return _("public")
    return release.get_status_display()


def publication_context(request, release: Release | None) -> dict:
    """What the change form needs to draw the publication buttons for this user and this release."""
    user = request.user
    if release is None:
        return {"publication_buttons": [("_submit_review", _("Enregistrer et soumettre pour relecture"))]}
    if not permissions.can_access(user, release):
        return {}
    now = timezone.now()
    public = release.is_public(now)
    publisher = permissions.can_publish(user, release)
    buttons = []
    if release.status == Status.DRAFT and permissions.can_submit(user, release):
        buttons.append(("_submit_review", _("Enregistrer et soumettre pour relecture")))
    if publisher and not public:
        buttons.append(("_schedule", _("Enregistrer et programmer")))
        buttons.append(("_publish", _("Enregistrer et publier maintenant")))
    if publisher and public and release.status != Status.WITHDRAWN:
        buttons.append(("_correct", _("Publier la correction")))
        buttons.append(("_withdraw", _("Retirer (la page reste avec la note)")))
    if publisher and (public or release.is_embargoed):
        buttons.append(("_unpublish", _("Dépublier") if public else _("Annuler la programmation")))
    return {
        "publication_buttons": buttons,
        "publication_state": publication_state(release),
        "release_is_public": public,
        "can_share": publisher,
        "active_preview_links": list(release.preview_links.active()) if publisher else [],
    }


class ReleaseAdminView(View):
    """A view inside the release admin; ``release()`` answers 403 for a release the user may not see."""

    model_admin = None

    def release(self, pk: int) -> Release:
        release = get_object_or_404(Release.objects.prefetch_related("issuers"), pk=pk)
        if not permissions.can_access(self.request.user, release):
            raise PermissionDenied
        if not self.model_admin.has_view_permission(self.request, release):
            raise PermissionDenied
        return release

    def render(self, template: str, context: dict) -> TemplateResponse:
        opts = self.model_admin.model._meta
        return TemplateResponse(
            self.request,
            template,
            {**self.model_admin.admin_site.each_context(self.request), "opts": opts, **context},
        )


# --- revisions -------------------------------------------------------------------------------------


def _labels() -> dict[str, str]:
    labels = {}
    for field in Release._meta.concrete_fields:
        labels[field.attname] = str(field.verbose_name)
    return labels


#: Bookkeeping and derived data (the issuers, shown apart, and the search vectors come from the text).
HIDDEN_IN_COMPARISON = {
    "id",
    "lock_version",
    "edited_at",
    "created_at",
    "created_by_id",
    "organisation_ids",
    *(f"search_{code}" for code in settings.LANGUAGE_CODES),
}


def version_snapshot(version: Version) -> dict[str, str]:
    """A release as a revision kept it: every field, people, ordered issuers and tags, as text."""
    data = version.field_dict
    snapshot: dict[str, str] = {}
    labels = _labels()
    for name, label in labels.items():
        if name in HIDDEN_IN_COMPARISON:
            continue
        value = data.get(name)
        if isinstance(value, datetime):
            value = timezone.localtime(value, LUXEMBOURG).strftime("%d/%m/%Y %H:%M:%S")
        snapshot[label if label else name] = "" if value is None else str(value)
    appointment_ids = data.get("appointments") or []
    appointments = Appointment.objects.filter(pk__in=appointment_ids).select_related("person", "role")
    snapshot[_("personnes citées")] = "\n".join(sorted(appointment.label for appointment in appointments))
    revision_versions = list(version.revision.version_set.all())
    issuers = []
    tags = []
    for other in revision_versions:
        model = other.content_type.model_class()
        fields = other.field_dict
        if model is ReleaseOrganisation and str(fields.get("release_id")) == version.object_id:
            issuers.append((fields.get("position"), fields.get("organisation_id")))
        elif (
            model is TaggedItem
            and str(fields.get("object_id")) == version.object_id
            and fields.get("content_type_id") == version.content_type_id
        ):
            tags.append(fields.get("tag_id"))
    organisations = Organisation.objects.in_bulk([org for _position, org in issuers])
    snapshot[_("organisations émettrices")] = "\n".join(
        f"{position}. {organisations.get(org, org)}" for position, org in sorted(issuers, key=lambda i: i[0] or 0)
    )
    from core.models import Tag

    tag_names = Tag.objects.filter(pk__in=tags).values_list("name", flat=True)
    snapshot[_("mots-clés")] = ", ".join(sorted(tag_names))
    return snapshot


def compare(older: Version, newer: Version) -> list[dict]:
    a, b = version_snapshot(older), version_snapshot(newer)
    return [
        {"label": label, "old": a.get(label, ""), "new": b.get(label, ""), "changed": a.get(label) != b.get(label)}
        for label in dict.fromkeys([*a, *b])
    ]


class RevisionListView(ReleaseAdminView):
    def get(self, request, pk):
        release = self.release(pk)
        versions = list(services.release_versions(release))
        return self.render(
            "admin/releases/release/revisions.html",
            {
                "title": _("Révisions de « %(title)s »") % {"title": release},
                "original": release,
                "versions": versions,
                "audit_entries": entries_for(release)[:50],
                "can_restore": self.model_admin.has_change_permission(request, release),
            },
        )


class RevisionCompareView(ReleaseAdminView):
    def get(self, request, pk):
        release = self.release(pk)
        versions = services.release_versions(release)
        try:
            older = versions.get(pk=int(request.GET.get("a", "")))
            newer = versions.get(pk=int(request.GET.get("b", "")))
        except (ValueError, Version.DoesNotExist) as error:
            raise Http404("No such revision of this release") from error
        if older.revision.date_created > newer.revision.date_created:
            older, newer = newer, older
        return self.render(
            "admin/releases/release/compare.html",
            {
                "title": _("Comparer deux révisions"),
                "original": release,
                "older": older,
                "newer": newer,
                "rows": compare(older, newer),
            },
        )


class RevisionRestoreView(ReleaseAdminView):
    def get(self, request, pk, version_id):
        release = self.release(pk)
        version = get_object_or_404(services.release_versions(release), pk=version_id)
        current = services.release_versions(release).first()
        return self.render(
            "admin/releases/release/restore.html",
            {
                "title": _("Restaurer une révision"),
                "original": release,
                "version": version,
                "rows": compare(version, current) if current else [],
            },
        )

    def post(self, request, pk, version_id):
        release = self.release(pk)
        version = get_object_or_404(services.release_versions(release), pk=version_id)
        try:
            services.release_restore_revision(release=release, version=version, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("La révision est restaurée."))
        return HttpResponseRedirect(reverse("admin:releases_release_change", args=[release.pk]))


# --- preview links ---------------------------------------------------------------------------------


class PreviewLinkCreateView(ReleaseAdminView):
    def post(self, request, pk):
        release = self.release(pk)
        link = services.preview_link_create(release=release, by=request.user)
        url = request.build_absolute_uri(link.get_absolute_url())
        messages.success(
            request,
            _("Lien d'aperçu créé, valable jusqu'au %(date)s : %(url)s")
            % {
                "date": timezone.localtime(link.expires_at, LUXEMBOURG).strftime("%d/%m/%Y %H:%M"),
                "url": url,
            },
        )
        return HttpResponseRedirect(reverse("admin:releases_release_change", args=[release.pk]))


class PreviewLinkRevokeView(ReleaseAdminView):
    def post(self, request, pk, link_id):
        release = self.release(pk)
        link = get_object_or_404(PreviewLink, pk=link_id, release=release)
        services.preview_link_revoke(link=link, by=request.user)
        messages.success(request, _("Le lien d'aperçu est révoqué."))
        return HttpResponseRedirect(reverse("admin:releases_release_change", args=[release.pk]))


# --- calendar and dashboard ------------------------------------------------------------------------


def _local_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    start = datetime.combine(first, time.min).replace(tzinfo=LUXEMBOURG)
    end = datetime.combine(last + timedelta(days=1), time.min).replace(tzinfo=LUXEMBOURG)
    return start, end


class CalendarView(ReleaseAdminView):
    """Releases and meetings of a week or a month, day by day, optionally for one organisation."""

    def get(self, request):
        if not self.model_admin.has_view_permission(request):
            raise PermissionDenied
        period = "month" if request.GET.get("periode") == "mois" else "week"
        try:
            anchor = date.fromisoformat(request.GET.get("date", ""))
        except ValueError:
            anchor = timezone.localdate(timezone=LUXEMBOURG)
        if period == "week":
            first = anchor - timedelta(days=anchor.weekday())
            last = first + timedelta(days=6)
            previous, following = first - timedelta(days=7), first + timedelta(days=7)
        else:
            first = anchor.replace(day=1)
            last = anchor.replace(day=monthrange(anchor.year, anchor.month)[1])
            previous = (first - timedelta(days=1)).replace(day=1)
            following = last + timedelta(days=1)
        start, end = _local_bounds(first, last)
        organisation = None
        organisation_id = request.GET.get("organisation", "")
        releases = permissions.releases_for(request.user).filter(
            status__in=[Status.SCHEDULED, Status.PUBLISHED], publish_at__gte=start, publish_at__lt=end
        )
        meetings = Meeting.objects.filter(starts_at__gte=start, starts_at__lt=end).select_related("host")
        if organisation_id.isdigit():
            organisation = Organisation.objects.filter(pk=int(organisation_id)).first()
            releases = releases.filter(issuers__organisation_id=int(organisation_id))
            meetings = meetings.filter(host_id=int(organisation_id))
        releases = releases.prefetch_related(
            Prefetch("issuers", queryset=ReleaseOrganisation.objects.select_related("organisation"))
        ).distinct()
        days = {first + timedelta(days=offset): [] for offset in range((last - first).days + 1)}
        for release in releases:
            moment = timezone.localtime(release.publish_at, LUXEMBOURG)
            days[moment.date()].append(
                {
                    "time": moment,
                    "kind": _("Communiqué"),
                    "title": release.title,
                    "status": publication_state(release),
                    "organisations": ", ".join(str(issuer.organisation) for issuer in release.issuers.all()),
                    "url": reverse("admin:releases_release_change", args=[release.pk]),
                }
            )
        for meeting in meetings:
            moment = timezone.localtime(meeting.starts_at, LUXEMBOURG)
            days[moment.date()].append(
                {
                    "time": moment,
                    "kind": _("Réunion"),
                    "title": meeting.title,
                    "status": meeting.get_status_display(),
                    "organisations": str(meeting.host or ""),
                    "url": reverse("admin:meetings_meeting_change", args=[meeting.pk]),
                }
            )
        for entries in days.values():
            entries.sort(key=lambda entry: entry["time"])
        if permissions.sees_all_organisations(request.user):
            organisations = Organisation.objects.all()
        else:
            organisations = Organisation.objects.filter(pk__in=permissions.organisation_ids(request.user))
        return self.render(
            "admin/releases/calendar.html",
            {
                "title": _("Calendrier éditorial"),
                "period": period,
                "first": first,
                "last": last,
                "previous": previous,
                "following": following,
                "days": days.items(),
                "organisation": organisation,
                "organisations": organisations,
                "time_zone": settings.TIME_ZONE,
            },
        )


class DashboardView(ReleaseAdminView):
    """My drafts, what awaits review, what goes out in the next 7 days, what went out lately."""

    def get(self, request):
        if not self.model_admin.has_view_permission(request):
            raise PermissionDenied
        now = timezone.now()
        mine = permissions.releases_for(request.user).prefetch_related(
            Prefetch("issuers", queryset=ReleaseOrganisation.objects.select_related("organisation"))
        )
        return self.render(
            "admin/releases/dashboard.html",
            {
                "title": _("Tableau de bord éditorial"),
                "sections": [
                    (
                        _("Mes brouillons"),
                        mine.filter(status=Status.DRAFT, created_by=request.user).order_by("-edited_at")[:20],
                    ),
                    (_("En attente de relecture"), mine.filter(status=Status.IN_REVIEW).order_by("edited_at")[:50]),
                    (
                        _("Programmés dans les 7 prochains jours"),
                        mine.filter(
                            status=Status.SCHEDULED, publish_at__gt=now, publish_at__lte=now + timedelta(days=7)
                        ).order_by("publish_at"),
                    ),
                    (_("Publiés récemment"), mine.public(now).order_by("-publish_at")[:20]),
                ],
            },
        )
