from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from media import views as media_views
from newsroom import views

urlpatterns = [
    path(settings.ADMIN_PATH, admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("media-files/renditions/<path:name>", media_views.RenditionFileView.as_view(), name="rendition-file"),
    path("staff/photos/<int:pk>/original", media_views.OriginalFileView.as_view(), name="admin-photo-original"),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("themes/<slug:slug>/", views.tag_detail, name="tag-detail"),
    path("", include("releases.urls")),
    path("", include("people.urls")),
    path("", include("meetings.urls")),
    path("", include("media.urls")),
    prefix_default_language=True,
)
