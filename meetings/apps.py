from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Réunions")

    def ready(self):
        import reversion

        from meetings import cache_tags
        from meetings.models import Meeting, Participation

        cache_tags.register()
        from meetings import signals  # noqa: F401 - connects the receivers

        if not reversion.is_registered(Meeting):
            reversion.register(Participation)
            reversion.register(Meeting, follow=("participations",))
