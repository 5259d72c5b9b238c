from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitesConfig(AppConfig):
    """The public sites one installation serves: the central portal and each ministry's own site."""

    name = "sites"
    verbose_name = _("Sites")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from sites import directory

        directory.connect_signals()
