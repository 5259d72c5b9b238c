from django.urls import path, register_converter

from core.converters import TwoDigitConverter, YearConverter
from releases import preview, views

register_converter(TwoDigitConverter, "dd")
register_converter(YearConverter, "yyyy")

urlpatterns = [
    path("communiques/", views.release_list, name="release-list"),
    path(
        "communiques/<yyyy:year>/<dd:month>/<dd:day>/<slug:slug>/",
        views.ReleaseDetailView.as_view(),
        name="release-detail",
    ),
    path("communiques/apercu/<int:pk>/", views.ReleasePreviewView.as_view(), name="release-preview"),
    path("communiques/apercu/lien/<str:token>/", preview.SharedPreviewView.as_view(), name="release-shared-preview"),
]
