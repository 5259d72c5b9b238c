from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaConfig(AppConfig):
    name = "media"
    label = "media"
    verbose_name = _("Photos et galeries")

    def ready(self):
        from django.conf import settings
        from PIL import Image

        from media import signals  # noqa: F401 - connects the receivers

        # Pillow warns past this many pixels (and refuses past twice as many); media.uploads turns the
        # warning into a refusal, so the limit is ours.
        Image.MAX_IMAGE_PIXELS = settings.PHOTO_MAX_PIXELS
        # PHOTO_SERVE_MODE is checked in settings, with the storage it needs.
