"""Public release pages: the list and the dated release page, plus the staff preview."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response
from django.utils.decorators import method_decorator
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import DetailView

from core import pagecache
from core.pagecache import cached_fragment
from core.publication import request_site
from media.structured_data import rendition_url
from releases import permissions, search, structured_data
from releases.cache_tags import choices_tags, list_tags, search_tags
from releases.filters import ReleaseFilterForm
from releases.models import Release, ReleaseSlugHistory
from releases.selectors import (
    PER_PAGE,
    filter_choices,
    filter_releases,
    find_dated_release,
    paginate,
    public_dated_release,
    public_list_page,
    release_urls,
    search_page,
    with_list_relations,
    with_page_relations,
)
from sites.addresses import canonical_url


def release_list_context(request, *, fixed: dict | None = None, light: bool = False) -> tuple[dict, int]:
    """The filter form, one page of releases and the links around it; the status is 400 on bad input.

    ``fixed`` holds filters a page imposes (a tag page fixes ``tag``); they are not offered again.
    ``light``: select the releases' ids and dates only (``light_rows``), their entries being usually
    kept; building those that are not then costs a query more (within the list's budget of 8, not the
    tag page's). The issuers are fetched by ``{% release_items %}`` for the entries it builds only.
    """
    fixed = fixed or {}
    site = request_site(request)
    choices = filter_choices(site)
    form = ReleaseFilterForm(request.GET or None, choices=choices, fixed=tuple(fixed))
    if request.GET and not form.is_valid():
        return {"form": form, "page": None, "releases": [], "invalid": True}, 400
    data = dict(form.cleaned_data) if form.is_bound else {}
    filters = {**data, **fixed}
    searched = search_tags(site) if filters.get("q") else ()
    pagecache.add_tags(*list_tags(filters, choices, site), *choices_tags(site), *searched)
    query = filters.get("q")
    if light and not query:
        page = public_list_page(filters, data, site)  # the same rows, its query compiled once per process
    else:
        queryset = filter_releases(
            with_list_relations(Release.objects.public().on_site(site), issuers=False), filters, site
        )
        page = search_page(queryset, query, filters, data, get_language(), site) if query else paginate(queryset, data)
    active = form.active_filters if form.is_bound else {}
    ranked_so_far = ((page.number or 1) - 1) * PER_PAGE + len(page.items)
    return {
        # The last page of a search that reached MAX_RANKED: older matches exist, a date range finds them.
        "ranked_limit": search.MAX_RANKED
        if query and not page.next_params and ranked_so_far >= search.MAX_RANKED
        else None,
        "form": form,
        "page": page,
        "releases": page.items,
        "query": query,
        "active_filters": active,
        "filter_querystring": urlencode(active),
        "next_querystring": urlencode({**active, **page.next_params}) if page.next_params else "",
        "previous_querystring": urlencode({**active, **page.previous_params}) if page.previous_params else "",
    }, 200


@require_GET
def release_list(request):
    context, status = release_list_context(request, light=True)
    context["kinds"] = Release.Kind.choices
    return render(request, "releases/release_list.html", context, status=status)


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
        if release.publish_at:
            urls = release_urls(release)
            context["alternate_urls"] = urls
            context["other_translations"] = [(code, url) for code, url in urls.items() if code != reader_language]
            context["switcher_urls"] = release_urls(release, all_languages=True)
            # One canonical address, whichever site shows the release; hreflang alternates stay on this host.
            canonical = canonical_url([org.pk for org in context["issuers"]], release.get_absolute_url(), self.request)
            context["canonical_url"] = canonical
            context["json_ld"] = structured_data.news_article(self.request, release, context["issuers"], canonical)
            items = list(release.gallery.items.all()) if release.gallery else []
            if items:
                context["og_image"] = rendition_url(self.request, items[0].photo)
        return context


def article_tags(release: Release) -> set[str]:
    """What a release page shows besides its photos (``{% picture %}`` tags those): the release, its
    issuers, the people it names, its tags, meeting and gallery."""
    tags = {f"release:{release.pk}"}
    tags.update(f"organisation:{issuer.organisation_id}" for issuer in release.issuers.all())
    tags.update(f"person:{appointment.person_id}" for appointment in release.appointments.all())
    tags.update(f"tag:{tag.pk}" for tag in release.tags.all())
    if release.meeting_id:
        tags.add(f"meeting:{release.meeting_id}")
    if release.gallery_id:
        tags.add(f"gallery:{release.gallery_id}")
    return tags


def release_validators(release: Release) -> tuple[str, float]:
    """ETag and Last-Modified of a release page: they move with any saved change (``edited_at``)."""
    language = get_language() or ""
    etag = quote_etag(f"{release.pk}-{release.lock_version}-{release.edited_at.timestamp():.6f}-{language}")
    return etag, release.edited_at.timestamp()


def gone_response(request, status: int = 410):
    """The address of an unpublished release: 410 Gone, with a page saying so (and nothing of it)."""
    return render(request, "releases/release_gone.html", status=status)


class ReleaseDetailView(ReleasePageMixin, DetailView):
    def get(self, request, *args, **kwargs):
        try:
            day = date(kwargs["year"], kwargs["month"], kwargs["day"])
        except ValueError as error:
            raise Http404("No such date") from error
        # Only the release's own row: the article, which shows its relations, is usually kept rendered.
        # A site answers only for what it carries: elsewhere a release, its old addresses and its
        # unpublished address are all 404.
        site = request_site(request)
        release = public_dated_release(day, kwargs["slug"], site)
        if release is None:
            old = ReleaseSlugHistory.objects.filter(path=request.path).select_related("release").first()
            if old and Release.objects.public().on_site(site).filter(pk=old.release_id).exists():
                return HttpResponsePermanentRedirect(old.release.get_absolute_url())
            if find_dated_release(Release.objects.gone().on_site(site), day, kwargs["slug"]) is not None:
                return gone_response(request)
            if old and Release.objects.gone().on_site(site).filter(pk=old.release_id).exists():
                return gone_response(request)
            raise Http404("No public release at this address")
        canonical = release.get_absolute_url()
        if canonical != request.path:
            return HttpResponsePermanentRedirect(canonical)
        # What django.views.decorators.http.condition does, without fetching the release twice.
        etag, last_modified = release_validators(release)
        response = get_conditional_response(request, etag=etag, last_modified=int(last_modified))
        if response is None:
            self.object = release
            response = self.render_to_response(self.cached_article_context(release))
        response.headers["ETag"] = etag
        response.headers["Last-Modified"] = http_date(last_modified)
        return response

    def cached_article_context(self, release: Release) -> dict:
        """The page's context, with the article (gallery, people, tags, JSON-LD: the costly part) rendered
        once per content version, language and host, and kept in the page cache's store.

        The release itself is fetched through ``public()`` on every request, so what is public and what
        answers 404 or 410 is decided as before; the article is built from it, and only when not kept
        (``core.pagecache.cached_fragment``: any saved change or the next publication boundary makes
        it be built again). Addresses, such as a ``?utm_source=`` variant, that miss the page cache
        reuse it too. Previews never do.
        """
        request = self.request

        def build() -> dict:
            # The release again with everything the article shows (one query more, only when building).
            public = Release.objects.public().on_site(request_site(request))
            full = with_page_relations(public, public=True).filter(pk=release.pk).first()
            if full is None:  # unpublished in between
                raise Http404("No public release at this address")
            pagecache.add_tags(*article_tags(full))
            self.object = full
            context = self.get_context_data(object=full)
            article = render_to_string("releases/release_article.html", context, request=request)
            kept = (
                "content_language",
                "is_fallback",
                "alternate_urls",
                "switcher_urls",
                "canonical_url",
                "json_ld",
                "og_image",
            )
            return {"article_html": article, **{name: context[name] for name in kept if name in context}}

        key = f"release-article:{release.pk}:{get_language()}:{request.scheme}://{request.get_host()}"
        # The view's own context (object, release, view), then the kept parts of ReleasePageMixin's.
        return {**super(ReleasePageMixin, self).get_context_data(object=release), **cached_fragment(key, build)}


class PreviewMixin:
    """A page that is not public: a banner, never cached, never indexed."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["preview"] = True
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        return response


@method_decorator([never_cache, staff_member_required], name="dispatch")
class ReleasePreviewView(PreviewMixin, ReleasePageMixin, DetailView):
    """Staff see a release whatever its status, if it is one of their organisations' (or they see all)."""

    def get_object(self, queryset=None):
        releases = with_page_relations(Release.objects.all(), staff_preview=True)
        release = get_object_or_404(releases, pk=self.kwargs["pk"])
        if not permissions.can_access(self.request.user, release):
            raise Http404("No release at this address")
        return release
