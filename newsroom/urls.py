from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from media import views as media_views
from newsroom import baseline, two_factor
from sites import views as site_views
from website.urls import root_urlpatterns

urlpatterns = [
    path(f"{settings.ADMIN_PATH}securite/code/", two_factor.verify, name="two-factor-verify"),
    path(f"{settings.ADMIN_PATH}securite/activation/", two_factor.enrol, name="two-factor-enrol"),
    # The admin's JavaScript catalogue: Django's admin strings, the rich-text editor's and ours (locale/*/djangojs.po).
    path(
        f"{settings.ADMIN_PATH}jsi18n/editing/",
        JavaScriptCatalog.as_view(packages=["django.contrib.admin", "django_prose_editor"]),
        name="admin-jsi18n",
    ),
    path(settings.ADMIN_PATH, admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    *root_urlpatterns,
    path("api/v1/", include("api.urls")),
    path("media-files/renditions/<path:name>", media_views.RenditionFileView.as_view(), name="rendition-file"),
    path("media-files/sites/<path:name>", site_views.logo, name="site-logo"),
    path("site-colours.css", site_views.colours, name="site-colours"),
    path("staff/photos/<int:pk>/original", media_views.OriginalFileView.as_view(), name="admin-photo-original"),
]

urlpatterns += i18n_patterns(
    path("", include("website.urls")),
    path("", include("releases.urls")),
    path("", include("meetings.urls")),
    path("", include("media.urls")),
    path("", include("alerts.urls")),
    prefix_default_language=True,
)

if settings.BENCH:
    urlpatterns.append(path("bench/baseline/", baseline.bench_baseline, name="bench-baseline"))

handler400 = "newsroom.errors.bad_request"
handler403 = "newsroom.errors.permission_denied"
handler404 = "newsroom.errors.page_not_found"
handler500 = "newsroom.errors.server_error"
