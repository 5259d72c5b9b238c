"""Public gallery pages (the list and one gallery) and the serving of photo files that follow publication."""

from __future__ import annotations

import os

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.decorators import method_decorator
from django.utils.http import http_date
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import DetailView

from core import pagecache
from core.publication import request_site
from media import structured_data
from media.cache_tags import gallery_tags
from media.models import Gallery, GalleryItem, Photo
from media.selectors import staff_preview_rendition, visible_gallery_items, visible_rendition
from sites.addresses import canonical_url

CONTENT_TYPES = {"jpeg": "image/jpeg", "webp": "image/webp", "avif": "image/avif"}


class GalleryDetailView(DetailView):
    template_name = "media/gallery_detail.html"
    context_object_name = "gallery"

    def get_queryset(self):
        return Gallery.objects.public().on_site(request_site(self.request)).prefetch_related(visible_gallery_items())

    def get_context_data(self, **kwargs):
        pagecache.add_tags(*gallery_tags(self.object.pk))
        items = list(self.object.items.all())
        # One canonical address on every site: the first site among the issuers of its releases.
        canonical = canonical_url(self.object.organisation_ids, self.object.get_absolute_url(), self.request)
        json_ld = structured_data.image_gallery(self.request, self.object, items, canonical)
        return super().get_context_data(json_ld=json_ld, canonical_url=canonical, **kwargs)


class RenditionFileView(View):
    """A rendition file, only while its photo is visible (used by something public, rights valid).

    One query decides. Anything else, including a well-formed name that exists on disk, is a 404:
    names are unguessable, and guessing one right still answers 404 until the photo is public.
    With ``PHOTO_SERVE_MODE`` set to ``x-accel-redirect`` (nginx) or ``x-sendfile`` (Apache,
    lighttpd), Django only decides and the web server sends the bytes (docs/operations.md).

    Staff previewing a release see its photos before they are public: a logged-in staff member who
    may see a release (releases.permissions) gets the renditions of its gallery, with headers that
    keep the file out of every shared cache (``private, no-store``). Anyone else gets the public rule.
    """

    def get(self, request, name):
        rendition = visible_rendition(f"renditions/{name}")
        # Short: a photo withdrawn or past its rights must disappear from caches quickly.
        cache_control = f"public, max-age={settings.PHOTO_CACHE_SECONDS}"
        if rendition is None:
            rendition = staff_preview_rendition(f"renditions/{name}", request.user)
            cache_control = "private, no-store"
        if rendition is None:
            raise Http404("No such file")
        etag = f'"r{rendition.pk}-{rendition.size_bytes}"'
        headers = {
            "ETag": etag,
            "Last-Modified": http_date(rendition.created_at.timestamp()),
            "Cache-Control": cache_control,
            "X-Content-Type-Options": "nosniff",
        }
        if settings.PHOTO_SERVE_MODE == "redirect":
            return self.signed_redirect(rendition)
        if request.headers.get("If-None-Match") == etag:
            response = HttpResponseNotModified()
        else:
            response = self.file_response(rendition)
        for header, value in headers.items():
            response[header] = value
        return response

    def signed_redirect(self, rendition):
        """Object storage: a short-lived signed URL of the private bucket, decided afresh on each request.

        The redirect itself is never cached (the URL expires after ``PHOTO_SIGNED_URL_SECONDS``), so a
        withdrawn photo stops being reachable within that time."""
        response = HttpResponseRedirect(rendition.file.storage.url(rendition.file.name))
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response

    def file_response(self, rendition):
        content_type = CONTENT_TYPES.get(rendition.format, "application/octet-stream")
        mode = settings.PHOTO_SERVE_MODE
        if mode == "x-accel-redirect":
            response = HttpResponse(content_type=content_type)
            response["X-Accel-Redirect"] = settings.PHOTO_ACCEL_PREFIX.rstrip("/") + "/" + rendition.file.name
            return response
        if mode == "x-sendfile":
            response = HttpResponse(content_type=content_type)
            response["X-Sendfile"] = os.fspath(rendition.file.path)
            return response
        try:
            handle = rendition.file.open("rb")
        except FileNotFoundError as error:  # a row whose file is gone: `manage.py renditions` remakes it
            raise Http404("No such file") from error
        return FileResponse(handle, content_type=content_type)


@method_decorator([never_cache, staff_member_required], name="dispatch")
class OriginalFileView(View):
    """The private original, for staff in the admin."""

    def get(self, request, pk):
        photo = get_object_or_404(Photo, pk=pk)
        return FileResponse(photo.image.open("rb"))


@require_GET
def gallery_list(request):
    page = request.GET.get("page", "1")
    if not page.isdigit() or not 1 <= int(page) <= 1000:
        return render(request, "400.html", status=400)
    number, per_page = int(page), 12
    pagecache.add_tags("list:galleries")
    cover = GalleryItem.objects.filter(position=1).select_related("photo").prefetch_related("photo__renditions")
    galleries = list(
        Gallery.objects.public()
        .on_site(request_site(request))
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
