"""Only the failing views, without the site's named URLs: the error templates cannot reverse
``home`` or ``search`` and fail, as they would with a broken URL configuration."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import path

from newsroom.urls import handler400, handler403, handler404, handler500  # noqa: F401
from tests.error_urls import broken, database_unreachable

urlpatterns = i18n_patterns(
    path("erreurs/500/", broken),
    path("erreurs/503/", database_unreachable),
    prefix_default_language=True,
)
