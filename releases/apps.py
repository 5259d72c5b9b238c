from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReleasesConfig(AppConfig):
    name = "releases"
    verbose_name = _("Communiqués")

    def ready(self):
        import reversion

        from newsroom.models import TaggedItem
        from releases.models import Release, ReleaseOrganisation

        # Every save inside a revision block keeps a copy of the release with its translated columns,
        # its people (M2M), its ordered issuers and its tag links (through the generic TaggedItem rows).
        if not reversion.is_registered(TaggedItem):
            reversion.register(TaggedItem)
        reversion.register(ReleaseOrganisation)
        reversion.register(Release, follow=("issuers", "tagged_items"))
