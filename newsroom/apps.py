from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = _("Rédaction")

    def ready(self):
        from newsroom.revisions import register_publishables

        register_publishables()

        from newsroom.pagecache import connect_signals

        connect_signals()
