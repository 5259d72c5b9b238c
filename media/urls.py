from django.urls import path

from media import views

urlpatterns = [
    path("galeries/<slug:slug>/", views.GalleryDetailView.as_view(), name="gallery-detail"),
]
