"""Public gallery pages and the serving of photo files that follow publication."""

from django.contrib.admin.views.decorators import staff_member_required
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView

from media.models import Gallery, GalleryItem, Photo, Rendition
from media.selectors import visible_photos


class GalleryDetailView(DetailView):
    template_name = "media/gallery_detail.html"
    context_object_name = "gallery"

    def get_queryset(self):
        return Gallery.objects.public().prefetch_related(
            Prefetch(
                "items",
                queryset=GalleryItem.objects.select_related("photo").prefetch_related("photo__renditions"),
            ),
        )

    def get_context_data(self, **kwargs):
        from newsroom import structured_data

        items = list(self.object.items.all())
        json_ld = structured_data.image_gallery(self.request, self.object, items)
        return super().get_context_data(json_ld=json_ld, **kwargs)


@method_decorator([never_cache], name="dispatch")
class RenditionFileView(View):
    """A rendition file, only while its photo is visible (used by something public, rights valid)."""

    def get(self, request, name):
        rendition = (
            Rendition.objects.filter(file=f"renditions/{name}", photo__in=visible_photos())
            .only("file", "format")
            .first()
        )
        if rendition is None:
            raise Http404("No such file")
        return FileResponse(rendition.file.open("rb"), content_type=f"image/{rendition.format}")


@method_decorator([never_cache, staff_member_required], name="dispatch")
class OriginalFileView(View):
    """The private original, for staff in the admin."""

    def get(self, request, pk):
        photo = get_object_or_404(Photo, pk=pk)
        return FileResponse(photo.image.open("rb"))
