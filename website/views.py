"""The public pages that bring several apps together.

The home page, a tag's page, search, a person's and an organisation's page, a meeting's page (each
lists releases beside what its own app holds), the accessibility statement and robots.txt. Pages of
one kind of content stay in their app (the release list and page in ``releases``, the agenda in
``meetings``, galleries in ``media``).
"""

from django.conf import settings
from django.db.models import Exists, Min, OuterRef, Prefetch, Value, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET
from django.views.generic import DetailView

from core import pagecache
from core.organisations import organisation_pages_tags
from core.publication import on_site_q, public_q, request_site
from media.models import GalleryItem
from media.selectors import visible_photos
from meetings import structured_data as meeting_data
from meetings.models import Meeting, Participation
from meetings.views import upcoming_q
from people import structured_data as person_data
from people.models import Appointment
from people.selectors import ministries
from releases.cache_tags import list_tags
from releases.models import Release
from releases.selectors import public_list_page, with_list_relations
from releases.views import release_list_context
from sites.addresses import canonical_url, meeting_organisations
from website.selectors import (
    carries_all,
    found_people,
    organisations_on_site,
    person_at,
    public_people,
    public_releases_naming,
    public_tags,
)

#: Columns of a meeting that its entry in a list (``includes/meeting_item.html``) never shows.
MEETING_ENTRY_DEFERRED = tuple(
    f"{field}{suffix}"
    for field in ("description", "configuration", "venue")
    for suffix in ("", *(f"_{code}" for code in settings.LANGUAGE_CODES))
)


@require_GET
def home(request):
    site = request_site(request)
    pagecache.add_tags(*list_tags({}, {}, site), "list:meetings", "list:organisations")
    # Ids and dates only, by the lists' compiled query: the entries are usually kept rendered
    # ({% release_items %}).
    releases = public_list_page({}, {}, site, per_page=8).items
    return render(
        request,
        "home.html",
        {"releases": releases, "meetings_html": cached_meetings(site), "ministries_html": cached_ministries(site)},
    )


def cached_meetings(site=None) -> str:
    """The home page's upcoming and recent meetings, rendered once per language and site and kept in the
    page cache's store under ``list:meetings`` (any meeting saved) and each meeting's tag.

    A meeting leaves the upcoming ones when it ends (it starts, without an end), which no save and no
    publication boundary marks: the first such moment among the upcoming meetings is the moment the
    list changes by itself (``pagecache.changes_at``), past which neither it nor the home page is kept.
    """

    def build() -> str:
        # What a meeting's entry shows (title, dates, city): not its description, configuration and venue.
        # One moment for the three queries, so that no meeting ends between them.
        now = timezone.now()
        shown = Meeting.objects.public(at=now).on_site(site).defer(*MEETING_ENTRY_DEFERRED)
        upcoming = list(shown.filter(upcoming_q(now)).order_by("starts_at")[:5])
        recent = list(shown.exclude(upcoming_q(now)).order_by("-starts_at")[:3])
        first_end = shown.filter(upcoming_q(now)).aggregate(moment=Min(Coalesce("ends_at", "starts_at")))["moment"]
        if first_end is not None:
            pagecache.changes_at(first_end.timestamp())
        pagecache.add_tags("list:meetings", *(f"meeting:{meeting.pk}" for meeting in [*upcoming, *recent]))
        context = {"upcoming_meetings": upcoming, "recent_meetings": recent}
        return render_to_string("includes/home_meetings.html", context)

    return pagecache.cached_fragment(f"home-meetings:{get_language()}", build)


def cached_ministries(site=None) -> str:
    """The home page's list of ministries, rendered once per language (and site: fragments are kept per
    site) and kept in the page cache's store under ``list:organisations`` (a ministry created, renamed or
    closed) and each ministry's tag. On a ministry's site, only the ministries with a page there, so no
    link answers 404 (and ``organisation-pages``, purged when that may change)."""

    def build() -> str:
        shown = ministries()
        if not carries_all(site):
            shown = shown.filter(pk__in=organisations_on_site(site).values("pk"))
            pagecache.add_tags(*organisation_pages_tags(site.organisation_ids))
        found = list(shown)
        pagecache.add_tags("list:organisations", *(f"organisation:{organisation.pk}" for organisation in found))
        return render_to_string("includes/ministries.html", {"ministries": found})

    return pagecache.cached_fragment(f"home-ministries:{get_language()}", build)


@require_GET
def tag_detail(request, slug):
    # A tag used only by embargoed or draft content must not reveal itself.
    site = request_site(request)
    tag = get_object_or_404(public_tags(site=site), slug=slug)
    context, status = release_list_context(request, fixed={"tag": slug})
    meetings = list(Meeting.objects.public().on_site(site).filter(tags=tag).order_by("-starts_at")[:10])
    pagecache.add_tags(f"tag:{tag.pk}", f"list:tag:{tag.pk}", *(f"meeting:{meeting.pk}" for meeting in meetings))
    return render(request, "tag_detail.html", {"tag": tag, "meetings": meetings, **context}, status=status)


@require_GET
def search(request):
    context, status = release_list_context(request)
    query = context.get("query") or ""
    context["people"] = found_people(query, site=request_site(request)) if query else []
    pagecache.add_tags("list:people", *(f"person:{person.pk}" for person in context["people"]))
    return render(request, "search.html", context, status=status)


@require_GET
def accessibility(request):
    pagecache.add_tags(pagecache.STATIC)
    return render(request, "accessibility.html", {"checked_on": timezone.localdate()})


@require_GET
def robots_txt(request):
    pagecache.add_tags(pagecache.STATIC)
    lines = [
        "User-agent: *",
        f"Disallow: /{settings.ADMIN_PATH}",
        "Disallow: /*/communiques/apercu/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


class PersonDetailView(DetailView):
    template_name = "people/person_detail.html"
    context_object_name = "person"

    def get_object(self, queryset=None):
        """The person, if they have a public page on the request's site; their newest public releases
        there (``self.releases``) are fetched first, as any of them makes the page public.

        Someone whom nothing public names has no public page (an embargoed release must not leak); on a
        ministry's site, someone it has nothing of and who holds no role in it has none there. Both
        queries are compiled once per process (``website.selectors``)."""
        site = request_site(self.request)
        person = person_at(self.kwargs["slug"])
        self.releases = public_releases_naming(person.appointment_ids, site) if person else []
        if person is None or not (self.releases or public_people(site).filter(pk=person.pk).exists()):
            raise Http404("No public person at this address")
        return person

    def get_context_data(self, **kwargs):
        person = self.object
        pagecache.add_tags(f"person:{person.pk}", f"list:person:{person.pk}")
        return super().get_context_data(releases=self.releases, **self.cached_profile(person), **kwargs)

    def cached_profile(self, person) -> dict:
        """The page but its releases (portrait, roles, biography, photos, JSON-LD), rendered once per
        person, language, day (current and past roles) and host (the JSON-LD's addresses), and kept in the
        page cache's store with the tags of what it shows.

        The tags are those the page itself carried: ``person:<id>`` (any change to them or their
        appointments), their organisations' and the photos' shown (``{% figure %}``, ``{% picture %}``),
        and on a ministry's site ``organisation-pages`` (which organisations have a page there: the roles'
        links).
        Never kept past the next publication boundary or rights expiry. Whether the person has a public
        page at all and their releases are decided on every request (``get_object``).
        """
        request = self.request
        today = timezone.localdate()

        site = request_site(request)

        def build() -> dict:
            # Each role's organisation is a link where it has a page (on a ministry's site, not all have).
            if carries_all(site):
                linked = Value(True)
            else:
                linked = Exists(organisations_on_site(site).filter(pk=OuterRef("role__organisation_id")))
                pagecache.add_tags(*organisation_pages_tags(site.organisation_ids))
            appointments = list(
                Appointment.objects.filter(person=person)
                .select_related("role__organisation")
                .annotate(organisation_linked=linked)
                .order_by("-started_on")
            )
            photos = (
                visible_photos(site=site)
                .filter(people_shown__appointment__person=person)
                .prefetch_related("renditions")
                .distinct()
                .order_by("-taken_at", "-id")[:12]
            )
            portrait = None
            if person.portrait_id and visible_photos().filter(pk=person.portrait_id).exists():
                prefetch_related_objects([person], "portrait__renditions")
                portrait = person.portrait
            pagecache.add_tags(
                f"person:{person.pk}",
                *(f"organisation:{appointment.role.organisation_id}" for appointment in appointments),
            )
            context = {
                "person": person,
                "current_appointments": [a for a in appointments if a.ended_on is None or a.ended_on >= today],
                "past_appointments": [a for a in appointments if a.ended_on is not None and a.ended_on < today],
                "photos": photos,
                "portrait": portrait,
            }
            return {
                "profile_html": render_to_string("people/person_profile.html", context, request=request),
                "photos_html": render_to_string("people/person_photos.html", context, request=request),
                "json_ld": person_data.person(request, person, appointments),
            }

        host = f"{request.scheme}://{request.get_host()}"
        return pagecache.cached_fragment(
            f"person-profile:{person.pk}:{get_language()}:{today.isoformat()}:{host}", build
        )


class OrganisationDetailView(DetailView):
    template_name = "people/organisation_detail.html"
    context_object_name = "organisation"

    def get_queryset(self):
        # On a ministry's site, an organisation of its own tree or one it carries something of
        # (website.selectors.organisations_on_site); any other answers 404 there.
        return (
            organisations_on_site(request_site(self.request))
            .select_related("successor", "parent")
            .prefetch_related("predecessors")
        )

    def get_context_data(self, **kwargs):
        organisation = self.object
        site = request_site(self.request)
        releases = Release.objects.filter(public_q(), on_site_q(site), organisation_ids__contains=[organisation.pk])
        releases = releases.order_by("-publish_at", "-id")
        people = list(
            Appointment.objects.filter(role__organisation=organisation, person__in=public_people(site))
            .select_related("person", "role")
            .order_by("ended_on", "-started_on")
        )
        related = [organisation.parent_id, organisation.successor_id, *(o.pk for o in organisation.predecessors.all())]
        pagecache.add_tags(
            f"organisation:{organisation.pk}",
            f"list:organisation:{organisation.pk}",
            *(f"organisation:{pk}" for pk in related if pk),
            *(f"person:{appointment.person_id}" for appointment in people),
        )
        return super().get_context_data(
            releases=with_list_relations(releases, issuers=False)[:20],
            appointments=people,
            **kwargs,
        )


class MeetingDetailView(DetailView):
    template_name = "meetings/meeting_detail.html"
    context_object_name = "meeting"

    def get_queryset(self):
        return (
            Meeting.objects.public()
            .on_site(request_site(self.request))
            .select_related("host")
            .prefetch_related(
                Prefetch(
                    "participations",
                    queryset=Participation.objects.select_related(
                        "appointment__person", "appointment__role__organisation"
                    ).order_by("position"),
                ),
                "tags",
            )
        )

    def get_context_data(self, **kwargs):
        meeting = self.object
        public = Release.objects.public().on_site(request_site(self.request)).filter(meeting=meeting)
        releases = with_list_relations(public.order_by("-publish_at"), issuers=False)
        items = (
            GalleryItem.objects.filter(gallery__releases__in=public)
            .select_related("photo")
            .prefetch_related("photo__renditions")
            .order_by("gallery_id", "position")
            .distinct()[:30]
        )
        participations = list(meeting.participations.all())
        # One canonical address on every site (sites.addresses.meeting_organisations).
        canonical = canonical_url(meeting_organisations(meeting), meeting.get_absolute_url(), self.request)
        pagecache.add_tags(
            f"meeting:{meeting.pk}",
            f"list:meeting:{meeting.pk}",
            *([f"organisation:{meeting.host_id}"] if meeting.host_id else []),
            *(f"person:{p.appointment.person_id}" for p in participations),
            *(f"tag:{tag.pk}" for tag in meeting.tags.all()),
        )
        return super().get_context_data(
            releases=releases,
            gallery_items=items,
            participations=participations,
            canonical_url=canonical,
            json_ld=meeting_data.event(self.request, meeting, participations, canonical),
            **kwargs,
        )
