"""Site-wide pages: home, tags, search, galleries, the accessibility statement and robots.txt (errors: errors.py)."""

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from media.models import Gallery, GalleryItem
from meetings.models import Meeting
from meetings.views import upcoming_q
from newsroom.selectors import public_tags
from people.selectors import ministries, search_people
from releases.models import Release
from releases.selectors import with_list_relations
from releases.views import release_list_context


@require_GET
def home(request):
    releases = with_list_relations(Release.objects.public().order_by("-publish_at", "-id"))[:8]
    upcoming = Meeting.objects.public().filter(upcoming_q()).select_related("host").order_by("starts_at")[:5]
    recent = Meeting.objects.public().exclude(upcoming_q()).order_by("-starts_at")[:3]
    return render(
        request,
        "home.html",
        {"releases": releases, "upcoming_meetings": upcoming, "recent_meetings": recent, "ministries": ministries()},
    )


@require_GET
def tag_detail(request, slug):
    # A tag used only by embargoed or draft content must not reveal itself.
    tag = get_object_or_404(public_tags(), slug=slug)
    context, status = release_list_context(request, fixed={"tag": slug})
    meetings = list(Meeting.objects.public().filter(tags=tag).order_by("-starts_at")[:10])
    return render(request, "tag_detail.html", {"tag": tag, "meetings": meetings, **context}, status=status)


@require_GET
def search(request):
    context, status = release_list_context(request)
    query = context.get("query") or ""
    context["people"] = search_people(query) if query else []
    return render(request, "search.html", context, status=status)


@require_GET
def gallery_list(request):
    page = request.GET.get("page", "1")
    if not page.isdigit() or not 1 <= int(page) <= 1000:
        return render(request, "400.html", status=400)
    number, per_page = int(page), 12
    cover = GalleryItem.objects.filter(position=1).select_related("photo").prefetch_related("photo__renditions")
    galleries = list(
        Gallery.objects.public()
        .prefetch_related(Prefetch("items", queryset=cover, to_attr="covers"))
        .order_by("-publish_at", "-id")[(number - 1) * per_page : number * per_page + 1]
    )
    if number > 1 and not galleries:
        raise Http404("No such page")
    return render(
        request,
        "media/gallery_list.html",
        {
            "galleries": galleries[:per_page],
            "page_number": number,
            "next_page": number + 1 if len(galleries) > per_page else None,
            "previous_page": number - 1 if number > 1 else None,
        },
    )


@require_GET
def accessibility(request):
    return render(request, "accessibility.html", {"checked_on": timezone.localdate()})


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        f"Disallow: /{settings.ADMIN_PATH}",
        "Disallow: /*/communiques/apercu/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


_BASELINES: dict[int, bytes] = {}


def bench_baseline(request):
    """Only with BENCH=1: an already rendered page of ``?bytes=`` bytes (bench/run.py's baseline)."""
    size = request.GET.get("bytes", "")
    size = min(int(size), 1_000_000) if size.isdigit() else settings.BENCH_BASELINE_BYTES
    if size not in _BASELINES:
        line = b"<p>Le Gouvernement informe que la r\xc3\xa9union a eu lieu.</p>\n"
        head = b"<!DOCTYPE html><html lang=fr><title>Base</title>"
        body = head + line * ((size - len(head)) // len(line) + 1)
        _BASELINES[size] = body[:size]
    return HttpResponse(_BASELINES[size], content_type="text/html; charset=utf-8")
