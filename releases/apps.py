from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReleasesConfig(AppConfig):
    name = "releases"
    verbose_name = _("Communiqués")

    def ready(self):
        import reversion

        from media.selectors import register_preview_galleries
        from releases import cache_tags, signals  # noqa: F401 - signals connects the receivers

        cache_tags.register()
        from releases.models import Release, ReleaseOrganisation
        from releases.permissions import preview_gallery_ids

        # Staff see the photos of the drafts they may see (media serves the files).
        register_preview_galleries(preview_gallery_ids)
        # Meetings and galleries are stored with the organisations issuing releases about them.
        from media.models import organisations as gallery_organisations
        from meetings.models import organisations as meeting_organisations

        meeting_organisations.add_source(signals.issuers_of_meetings)
        gallery_organisations.add_source(signals.issuers_of_galleries)

        if not reversion.is_registered(Release):
            reversion.register(ReleaseOrganisation)
            reversion.register(Release, follow=("issuers", "tagged_items"))
