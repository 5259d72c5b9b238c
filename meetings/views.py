"""Public meeting pages: the agenda (upcoming and past) and iCalendar files (one meeting's page, which lists
its releases, is in website/views.py)."""

from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core import pagecache
from core.publication import request_site
from meetings import ics
from meetings.models import Meeting

PAST_PER_PAGE = 20


def upcoming_q(now=None):
    now = now or timezone.now()
    return Q(ends_at__gte=now) | Q(ends_at__isnull=True, starts_at__gte=now)


@require_GET
def agenda(request):
    page = request.GET.get("page", "1")
    if not page.isdigit() or not 1 <= int(page) <= 1000:
        return render(request, "400.html", status=400)
    number = int(page)
    public = Meeting.objects.public().on_site(request_site(request)).select_related("host")
    upcoming = list(public.filter(upcoming_q()).order_by("starts_at")) if number == 1 else []
    offset = (number - 1) * PAST_PER_PAGE
    past = list(public.exclude(upcoming_q()).order_by("-starts_at", "-id")[offset : offset + PAST_PER_PAGE + 1])
    if number > 1 and not past:
        raise Http404("No such page")
    hosts = {meeting.host_id for meeting in (*upcoming, *past) if meeting.host_id}
    pagecache.add_tags("list:meetings", *(f"organisation:{pk}" for pk in hosts))
    return render(
        request,
        "meetings/agenda.html",
        {
            "upcoming": upcoming,
            "past": past[:PAST_PER_PAGE],
            "page_number": number,
            "next_page": number + 1 if len(past) > PAST_PER_PAGE else None,
            "previous_page": number - 1 if number > 1 else None,
        },
    )


@require_GET
def agenda_ics(request):
    pagecache.add_tags("list:meetings")
    meetings = Meeting.objects.public().on_site(request_site(request)).order_by("starts_at")[:500]
    body = ics.calendar(meetings, request=request, name=_("Agenda des réunions"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="agenda.ics"'
    return response


@require_GET
def meeting_ics(request, slug):
    meeting = get_object_or_404(Meeting.objects.public().on_site(request_site(request)), slug=slug)
    pagecache.add_tags(f"meeting:{meeting.pk}")
    body = ics.calendar([meeting], request=request, name=meeting.title)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{meeting.slug}.ics"'
    return response
