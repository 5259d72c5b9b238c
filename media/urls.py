from django.urls import path

from media import views

urlpatterns = [
    path("galeries/", views.gallery_list, name="gallery-list"),
    path("galeries/<slug:slug>/", views.GalleryDetailView.as_view(), name="gallery-detail"),
]
