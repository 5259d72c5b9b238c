from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Réunions")

    def ready(self):
        import reversion

        from meetings.models import Meeting, Participation

        if not reversion.is_registered(Meeting):
            reversion.register(Participation)
            reversion.register(Meeting, follow=("participations",))
