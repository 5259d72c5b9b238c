"""Shared preview links: one unpublished release, for people without an account, until the link expires.
Each opening writes the audit entry ``releases.release.preview_link_opened`` (link, recipient, time)."""

from __future__ import annotations

from django.http import Http404
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView

from core.audit import record
from releases.models import PreviewLink, Release
from releases.selectors import with_page_relations
from releases.views import PreviewMixin, ReleasePageMixin


@method_decorator([never_cache], name="dispatch")
class SharedPreviewView(PreviewMixin, ReleasePageMixin, DetailView):
    """Answers 404 once the link is revoked or expired; shows only the release the link was made for."""

    def get_object(self, queryset=None):
        link = PreviewLink.objects.active().filter(token=self.kwargs["token"]).only("release_id", "recipient").first()
        if link is None:
            raise Http404("No such preview link")
        release = with_page_relations(Release.objects.all()).get(pk=link.release_id)
        if self.request.method == "GET":
            # Every opening is on record (when, which link, for whom): a leaked embargo can be traced.
            record(
                "releases.release.preview_link_opened",
                target=release,
                link=link.pk,
                recipient=link.recipient,
                user_agent=self.request.headers.get("User-Agent", "")[:200],
            )
        return release

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        response.headers["Referrer-Policy"] = "no-referrer"
        return response
