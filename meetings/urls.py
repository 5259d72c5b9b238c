from django.urls import path

from meetings import views

urlpatterns = [
    path("reunions/<slug:slug>/", views.MeetingDetailView.as_view(), name="meeting-detail"),
]
