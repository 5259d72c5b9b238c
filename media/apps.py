from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaConfig(AppConfig):
    name = "media"
    label = "media"
    verbose_name = _("Photos et galeries")

    def ready(self):
        import reversion
        from django.conf import settings
        from PIL import Image

        from core import pagecache
        from media import cache_tags, signals  # noqa: F401 - signals connects the receivers

        cache_tags.register()
        from media.models import Gallery, GalleryItem, Photo

        if not reversion.is_registered(Gallery):
            reversion.register(GalleryItem)
            reversion.register(Gallery, follow=("items",))
        # A photo stops being shown on the day its rights expire: cached pages end there too.
        pagecache.add_expiry_date(Photo, "rights_expire_on")

        # Pillow warns past this many pixels (and refuses past twice as many); media.uploads turns the
        # warning into a refusal, so the limit is ours.
        Image.MAX_IMAGE_PIXELS = settings.PHOTO_MAX_PIXELS
        # PHOTO_SERVE_MODE is checked in settings, with the storage it needs.
