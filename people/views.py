"""Public pages of people and organisations: only what public content names."""

from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone
from django.views.generic import DetailView

from media.selectors import visible_photos
from newsroom import structured_data
from newsroom.publication import public_q
from people.models import Appointment, Organisation
from people.selectors import public_people
from releases.models import Release
from releases.selectors import with_list_relations


class PersonDetailView(DetailView):
    template_name = "people/person_detail.html"
    context_object_name = "person"

    def get_queryset(self):
        # Someone whom nothing public names has no public page (an embargoed release must not leak).
        return public_people().prefetch_related(
            Prefetch(
                "appointments",
                queryset=Appointment.objects.select_related("role__organisation").order_by("-started_on"),
            ),
            "portrait__renditions",
        )

    def get_context_data(self, **kwargs):
        person = self.object
        today = timezone.localdate()
        appointments = list(person.appointments.all())
        # A semi-join, not a join with DISTINCT: the newest public releases naming the person come
        # straight off the date index, however many thousands of releases name them. The appointments
        # are given by id, so the planner sees from its statistics how often they are named.
        mentioned = Release.appointments.through.objects.filter(
            release=OuterRef("pk"), appointment__in=[appointment.pk for appointment in appointments]
        )
        releases = Release.objects.filter(public_q(), Exists(mentioned))
        photos = (
            visible_photos()
            .filter(people_shown__appointment__person=person)
            .prefetch_related("renditions")
            .distinct()
            .order_by("-taken_at", "-id")[:12]
        )
        portrait = None
        if person.portrait_id and visible_photos().filter(pk=person.portrait_id).exists():
            portrait = person.portrait
        return super().get_context_data(
            current_appointments=[a for a in appointments if a.ended_on is None or a.ended_on >= today],
            past_appointments=[a for a in appointments if a.ended_on is not None and a.ended_on < today],
            releases=with_list_relations(releases.order_by("-publish_at", "-id"))[:20],
            photos=photos,
            portrait=portrait,
            json_ld=structured_data.person(self.request, person, appointments),
            **kwargs,
        )


class OrganisationDetailView(DetailView):
    template_name = "people/organisation_detail.html"
    context_object_name = "organisation"
    queryset = Organisation.objects.select_related("successor", "parent").prefetch_related("predecessors")

    def get_context_data(self, **kwargs):
        organisation = self.object
        releases = Release.objects.filter(public_q(), organisation_ids__contains=[organisation.pk])
        releases = releases.order_by("-publish_at", "-id")
        people = (
            Appointment.objects.filter(role__organisation=organisation, person__in=public_people())
            .select_related("person", "role")
            .order_by("ended_on", "-started_on")
        )
        return super().get_context_data(
            releases=with_list_relations(releases)[:20],
            appointments=people,
            **kwargs,
        )
