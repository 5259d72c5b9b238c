from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

#: Apps whose saved changes can alter a public page (labels; ``newsroom`` is the kernel's tags).
CONTENT_APPS = ("newsroom", "people", "sites", "media", "meetings", "releases", "taggit")
#: Models of those apps that never change a public page (saving them must not empty the page cache).
IGNORED_MODELS = ("newsroom.auditentry", "releases.previewlink")


class WebsiteConfig(AppConfig):
    """The public website: the pages that bring the apps together, feeds and sitemaps."""

    name = "website"
    verbose_name = _("Site public")

    def ready(self):
        from core import pagecache

        pagecache.connect_signals(content_apps=CONTENT_APPS, ignored_models=IGNORED_MODELS)
