from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from media import views as media_views
from newsroom import two_factor, views
from newsroom.sitemaps import SITEMAPS

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
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("api/v1/", include("api.urls")),
    path("media-files/renditions/<path:name>", media_views.RenditionFileView.as_view(), name="rendition-file"),
    path("staff/photos/<int:pk>/original", media_views.OriginalFileView.as_view(), name="admin-photo-original"),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("themes/<slug:slug>/", views.tag_detail, name="tag-detail"),
    path("recherche/", views.search, name="search"),
    path("galeries/", views.gallery_list, name="gallery-list"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("", include("releases.urls")),
    path("", include("people.urls")),
    path("", include("meetings.urls")),
    path("", include("media.urls")),
    prefix_default_language=True,
)

if settings.BENCH:
    urlpatterns.append(path("bench/baseline/", views.bench_baseline, name="bench-baseline"))

handler400 = "newsroom.errors.bad_request"
handler403 = "newsroom.errors.permission_denied"
handler404 = "newsroom.errors.page_not_found"
handler500 = "newsroom.errors.server_error"
