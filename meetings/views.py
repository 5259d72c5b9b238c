"""Public meeting pages."""

from django.db.models import Prefetch
from django.views.generic import DetailView

from meetings.models import Meeting, Participation
from releases.models import Release


class MeetingDetailView(DetailView):
    template_name = "meetings/meeting_detail.html"
    context_object_name = "meeting"

    def get_queryset(self):
        return (
            Meeting.objects.public()
            .select_related("host")
            .prefetch_related(
                Prefetch(
                    "participations",
                    queryset=Participation.objects.select_related("appointment__person", "appointment__role"),
                ),
                "tags",
            )
        )

    def get_context_data(self, **kwargs):
        releases = Release.objects.public().filter(meeting=self.object).order_by("-publish_at")
        return super().get_context_data(releases=releases, **kwargs)
