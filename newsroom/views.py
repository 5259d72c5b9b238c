"""Site-wide pages: home, tag pages and robots.txt."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from meetings.models import Meeting
from newsroom.models import Tag
from releases.models import Release
from releases.selectors import with_list_relations


@require_GET
def home(request):
    releases = with_list_relations(Release.objects.public().order_by("-publish_at"))[:10]
    meetings = Meeting.objects.public().order_by("-starts_at")[:5]
    return render(request, "home.html", {"releases": releases, "meetings": meetings})


@require_GET
def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    releases = with_list_relations(Release.objects.public().filter(tags=tag).order_by("-publish_at"))[:50]
    if not releases:
        return render(request, "404.html", status=404)
    return render(request, "tag_detail.html", {"tag": tag, "releases": releases})


@require_GET
def robots_txt(request):
    lines = ["User-agent: *", f"Disallow: /{settings.ADMIN_PATH}", "Disallow: /*/communiques/apercu/"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
