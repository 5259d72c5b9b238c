from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("Alertes par e-mail")

    def ready(self):
        from alerts import receivers  # noqa: F401 - connects to the releases' publication signals
