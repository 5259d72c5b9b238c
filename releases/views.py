"""Public release pages: the list and the dated release page, plus the staff preview."""

from __future__ import annotations

from datetime import date

from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView

from releases.models import Release, ReleaseSlugHistory
from releases.selectors import find_dated_release, with_list_relations, with_page_relations


class ReleaseListView(ListView):
    template_name = "releases/release_list.html"
    context_object_name = "releases"
    paginate_by = 20

    def get_queryset(self):
        return with_list_relations(Release.objects.public().order_by("-publish_at", "-id"))


class ReleasePageMixin:
    """What the release page and its preview share: the template and the language context."""

    template_name = "releases/release_detail.html"
    context_object_name = "release"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        release = self.object
        reader_language = get_language()
        translated = release.translated_languages
        has_translation = reader_language in translated
        context["content_language"] = reader_language if has_translation else release.original_language
        context["is_fallback"] = not has_translation
        context["translations"] = translated
        context["issuers"] = [issuer.organisation for issuer in release.issuers.all()]
        return context


class ReleaseDetailView(ReleasePageMixin, DetailView):
    def get(self, request, *args, **kwargs):
        try:
            day = date(kwargs["year"], kwargs["month"], kwargs["day"])
        except ValueError as error:
            raise Http404("No such date") from error
        release = find_dated_release(with_page_relations(Release.objects.public()), day, kwargs["slug"])
        if release is None:
            old = ReleaseSlugHistory.objects.filter(path=request.path).select_related("release").first()
            if old and Release.objects.public().filter(pk=old.release_id).exists():
                return HttpResponsePermanentRedirect(old.release.get_absolute_url())
            raise Http404("No public release at this address")
        canonical = release.get_absolute_url()
        if canonical != request.path:
            return HttpResponsePermanentRedirect(canonical)
        self.object = release
        return self.render_to_response(self.get_context_data(object=release))


@method_decorator([never_cache, staff_member_required], name="dispatch")
class ReleasePreviewView(ReleasePageMixin, DetailView):
    """Staff see any release, whatever its status, with a preview banner and no caching or indexing."""

    def get_object(self, queryset=None):
        return get_object_or_404(with_page_relations(Release.objects.all()), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["preview"] = True
        return context
