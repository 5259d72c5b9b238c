"""Public pages of people and organisations: only what public releases name."""

from django.db.models import Prefetch
from django.http import Http404
from django.views.generic import DetailView

from newsroom.publication import public_q
from people.models import Appointment, Organisation, Person
from releases.models import Release
from releases.selectors import with_list_relations


class PersonDetailView(DetailView):
    template_name = "people/person_detail.html"
    context_object_name = "person"

    def get_queryset(self):
        return Person.objects.prefetch_related(
            Prefetch(
                "appointments",
                queryset=Appointment.objects.select_related("role__organisation").order_by("-started_on"),
            )
        )

    def get_object(self, queryset=None):
        person = super().get_object(queryset)
        releases = Release.objects.public().filter(appointments__person=person).distinct()
        if not releases.exists():
            # Someone whom nothing public names has no public page (an embargoed release must not leak).
            raise Http404("No public page for this person")
        self.releases = with_list_relations(releases.order_by("-publish_at"))[:50]
        return person

    def get_context_data(self, **kwargs):
        return super().get_context_data(releases=self.releases, **kwargs)


class OrganisationDetailView(DetailView):
    template_name = "people/organisation_detail.html"
    context_object_name = "organisation"
    queryset = Organisation.objects.select_related("successor", "parent")

    def get_context_data(self, **kwargs):
        releases = Release.objects.filter(public_q(), issuers__organisation=self.object).order_by("-publish_at")
        return super().get_context_data(releases=with_list_relations(releases)[:50], **kwargs)
