"""The site's URLs plus views that fail on purpose, for the error page tests (``ROOT_URLCONF``).

``/<lang>/erreurs/500/`` raises a programming error, ``/<lang>/erreurs/503/`` the error a lost
database connection raises, ``/<lang>/erreurs/403/`` ``PermissionDenied``.
"""

from django.conf.urls.i18n import i18n_patterns
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.urls import path

from newsroom.urls import handler400, handler403, handler404, handler500  # noqa: F401
from newsroom.urls import urlpatterns as site_urlpatterns


def broken(request):
    raise ZeroDivisionError("a bug in a view")


def database_unreachable(request):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def forbidden(request):
    raise PermissionDenied


urlpatterns = site_urlpatterns + i18n_patterns(
    path("erreurs/500/", broken),
    path("erreurs/503/", database_unreachable),
    path("erreurs/403/", forbidden),
    prefix_default_language=True,
)
