"""The read-only JSON API (``/api/v1/``): plain Django views returning ``JsonResponse``.

Same rules as the pages: only ``public()`` content the request's site carries (a ministry's site answers
for its own releases, meetings, people and organisations, ``website.selectors``; the portal for all);
``?lang=de`` (default French) picks the reader's language and a release missing in it comes in its
original language, with ``language`` saying which.
List endpoints take the release list's filters and paginate with ``page`` (20 per page) or the
keyset ``before``/``after`` cursors given in ``next``/``previous``. Every response has an ``ETag``
(a hash of its body) and answers ``304 Not Modified`` to a matching ``If-None-Match``.
"""

from __future__ import annotations

import hashlib
import json
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.http import Http404, HttpResponseNotModified, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from api.openapi import OPENAPI
from core.publication import on_site_q, public_q, request_site
from meetings.models import Meeting, Participation
from people.models import Appointment
from releases.filters import ReleaseFilterForm
from releases.models import Release
from releases.search import render_headline, search_releases
from releases.selectors import (
    attach_headlines,
    filter_choices,
    filter_releases,
    paginate,
    release_urls,
    with_page_relations,
)
from sites.addresses import canonical_site, canonical_url, meeting_organisations, site_url
from website.selectors import organisations_on_site, public_people


class ApiError(Exception):
    def __init__(self, status: int, message: str, details=None):
        super().__init__(message)
        self.status, self.message, self.details = status, message, details


def api_view(view):
    """GET only; language from ``?lang``; errors as JSON; ETag and 304 on every answer."""

    @require_GET
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        language = request.GET.get("lang", settings.LANGUAGE_CODE)
        try:
            if language not in settings.LANGUAGE_CODES:
                raise ApiError(400, "Unknown language", {"lang": settings.LANGUAGE_CODES})
            with translation.override(language):
                data, status = view(request, *args, **kwargs), 200
        except ApiError as error:
            data, status = {"error": error.message, "details": error.details}, error.status
        except Http404:
            data, status = {"error": "Not found"}, 404
        body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)
        etag = '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'
        if status == 200 and etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
            response = HttpResponseNotModified()
        else:
            response = JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})
            response.content = body
        response["ETag"] = etag
        response["Access-Control-Allow-Origin"] = "*"
        patch_vary_headers(response, ["Accept-Encoding"])
        return response

    return wrapper


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


def issuer_ids(release) -> list[int]:
    """The issuers' ids, lead first (prefetched issuers)."""
    return [issuer.organisation_id for issuer in release.issuers.all()]


def organisation_data(request, org) -> dict:
    return {
        "slug": org.slug,
        "name": org.name,
        "acronym": org.acronym or "",
        "kind": org.kind,
        "country": org.country,
        "closed_on": org.closed_on,
        "successor": org.successor.slug if org.successor_id and org.successor else None,
        "url": absolute(request, org.get_absolute_url()),
    }


def appointment_data(request, appointment) -> dict:
    return {
        "person": {
            "slug": appointment.person.slug,
            "name": appointment.person.full_name,
            "url": absolute(request, appointment.person.get_absolute_url()),
        },
        "role": appointment.role.title,
        "started_on": appointment.started_on,
        "ended_on": appointment.ended_on,
    }


def release_summary(request, release) -> dict:
    language = release.content_language()
    return {
        "id": release.pk,
        "kind": release.kind,
        "title": release.localized("title"),
        "lead": release.localized("lead"),
        "language": language,
        "original_language": release.original_language,
        "translations": release.translated_languages,
        "published_at": release.first_published_at or release.publish_at,
        "updated_at": release.last_public_update,
        "withdrawn": release.status == "withdrawn",
        "organisations": [issuer.organisation.slug for issuer in release.issuers.all()],
        # The one canonical address (sites.addresses), whichever site's API answers.
        "url": canonical_url(issuer_ids(release), release.get_absolute_url(), request),
        "api_url": absolute(request, reverse("api-release", kwargs={"pk": release.pk})),
    }


def list_links(request, page, active: dict) -> dict:
    base = request.build_absolute_uri(request.path)
    extra = {"lang": request.GET["lang"]} if "lang" in request.GET else {}

    def link(params):
        return f"{base}?{urlencode({**active, **extra, **params})}" if params else None

    return {"next": link(page.next_params), "previous": link(page.previous_params)}


@api_view
def releases(request):
    site = request_site(request)
    form = ReleaseFilterForm(request.GET or None, choices=filter_choices(site))
    if request.GET and not form.is_valid():
        raise ApiError(400, "Invalid parameters", form.errors.get_json_data())
    data = dict(form.cleaned_data) if form.is_bound else {}
    queryset = filter_releases(
        Release.objects.public().on_site(site).prefetch_related("issuers__organisation"),
        {k: v for k, v in data.items() if v},
        site,
    )
    query = data.get("q")
    if query:
        queryset = search_releases(queryset, query)
    page = paginate(queryset, data, ranked=bool(query))
    if query:
        attach_headlines(page.items, query, translation.get_language())
    results = []
    for release in page.items:
        item = release_summary(request, release)
        if query:
            item["snippet_html"] = str(render_headline(release.headline))
        results.append(item)
    return {"results": results, **list_links(request, page, form.active_filters if form.is_bound else {})}


@api_view
def release_detail(request, pk):
    public = Release.objects.public().on_site(request_site(request))
    release = get_object_or_404(with_page_relations(public, public=True), pk=pk)
    data = release_summary(request, release)
    data.update(
        {
            "body_html": release.localized("body"),
            "event_date": release.event_date,
            "withdrawal_note": release.localized("withdrawal_note") if release.status == "withdrawn" else "",
            "alternates": {
                code: site_url(canonical_site(issuer_ids(release)), url, request)
                for code, url in release_urls(release).items()
            },
            "organisations": [organisation_data(request, issuer.organisation) for issuer in release.issuers.all()],
            "people": [appointment_data(request, a) for a in release.appointments.all()],
            "tags": [{"slug": tag.slug, "name": tag.name} for tag in release.tags.all()],
            "meeting": {"slug": release.meeting.slug, "title": release.meeting.title} if release.meeting else None,
            "updates": [{"published_at": u.published_at, "note": u.note} for u in release.updates.all()],
            "photos": [
                {
                    "position": position,
                    "caption": item.photo.caption,
                    "alt_text": item.photo.alt_text,
                    "credit": item.photo.credit,
                    "width": item.photo.width,
                    "height": item.photo.height,
                }
                for position, item in enumerate(release.gallery.items.all() if release.gallery else [], 1)
            ],
        }
    )
    return data


def _page_number(request) -> int:
    value = request.GET.get("page", "1")
    if not value.isdigit() or not 1 <= int(value) <= 1000:
        raise ApiError(400, "Invalid page")
    return int(value)


def _slice(queryset, number, per_page=50):
    rows = list(queryset[(number - 1) * per_page : number * per_page + 1])
    if number > 1 and not rows:
        raise Http404
    return rows[:per_page], len(rows) > per_page


@api_view
def people(request):
    number = _page_number(request)
    queryset = public_people(request_site(request)).prefetch_related(
        Prefetch("appointments", queryset=Appointment.objects.select_related("role").order_by("-started_on"))
    )
    rows, more = _slice(queryset.order_by("family_name", "given_name", "pk"), number)
    return {
        "results": [
            {
                "slug": p.slug,
                "name": p.full_name,
                "url": absolute(request, p.get_absolute_url()),
                "roles": [
                    {"role": a.role.title, "started_on": a.started_on, "ended_on": a.ended_on}
                    for a in p.appointments.all()
                ],
            }
            for p in rows
        ],
        "page": number,
        "has_next": more,
    }


@api_view
def organisations(request):
    number = _page_number(request)
    organisations = organisations_on_site(request_site(request)).select_related("successor")
    rows, more = _slice(organisations.order_by("slug"), number)
    return {"results": [organisation_data(request, o) for o in rows], "page": number, "has_next": more}


def meeting_data(request, meeting, full=False) -> dict:
    data = {
        "slug": meeting.slug,
        "title": meeting.title,
        "kind": meeting.kind,
        "configuration": meeting.configuration,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "venue": meeting.venue,
        "city": meeting.city,
        "country": meeting.country,
        "host": meeting.host.slug if meeting.host else None,
        "url": canonical_url(meeting_organisations(meeting), meeting.get_absolute_url(), request),
        "ics_url": absolute(request, reverse("meeting-ics", kwargs={"slug": meeting.slug})),
        "api_url": absolute(request, reverse("api-meeting", kwargs={"slug": meeting.slug})),
    }
    if full:
        data["description"] = meeting.description
        data["participants"] = [appointment_data(request, p.appointment) for p in meeting.participations.all()]
        data["releases"] = [
            absolute(request, reverse("api-release", kwargs={"pk": pk}))
            for pk in Release.objects.filter(public_q(), on_site_q(request_site(request)), meeting=meeting)
            .order_by("-publish_at", "-id")
            .values_list("pk", flat=True)
        ]
    return data


@api_view
def meetings(request):
    number = _page_number(request)
    meetings = Meeting.objects.public().on_site(request_site(request)).select_related("host")
    rows, more = _slice(meetings.order_by("-starts_at", "-id"), number)
    return {"results": [meeting_data(request, m) for m in rows], "page": number, "has_next": more}


@api_view
def meeting_detail(request, slug):
    queryset = (
        Meeting.objects.public()
        .on_site(request_site(request))
        .select_related("host")
        .prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("appointment__person", "appointment__role"),
            )
        )
    )
    return meeting_data(request, get_object_or_404(queryset, slug=slug), full=True)


@require_GET
def openapi(request):
    return JsonResponse(OPENAPI, json_dumps_params={"ensure_ascii": False, "indent": 2})
