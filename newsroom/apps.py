from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    """The project: settings, URLs, the management commands and the wiring that needs the whole set-up.

    The label ``newsroom`` belongs to the kernel (``core``), whose tables were created under it.
    """

    name = "newsroom"
    label = "newsroom_project"
    verbose_name = _("Rédaction")

    def ready(self):
        from core.signals import cache_tags_purged, content_changed
        from newsroom import http_purge
        from newsroom.db_router import record_content_fence

        # With read replicas, none is read after a change until it has replayed that change.
        content_changed.connect(record_content_fence, dispatch_uid="newsroom.replica-fence")
        # Varnish and a CDN in front (VARNISH_URLS, CDN_PURGE_URL): ban the changed pages' cache tags.
        cache_tags_purged.connect(http_purge.purge, dispatch_uid="newsroom.http-purge")
