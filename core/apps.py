from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The kernel every app builds on: the publication rule, tags, the audit log, HTML, the page cache.

    Its label is ``newsroom``: the tag and audit tables, their migrations, permissions and content types
    were created under that label, and keep it.
    """

    name = "core"
    label = "newsroom"
    verbose_name = _("Rédaction")

    def ready(self):
        import reversion

        from core import cache_tags
        from core.models import TaggedItem

        cache_tags.register()

        # Tag links are kept with the revisions of every tagged item (releases, meetings, galleries).
        if not reversion.is_registered(TaggedItem):
            reversion.register(TaggedItem)
