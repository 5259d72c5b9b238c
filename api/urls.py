from django.urls import path

from api import views

urlpatterns = [
    path("openapi.json", views.openapi, name="api-openapi"),
    path("releases/", views.releases, name="api-releases"),
    path("releases/<int:pk>/", views.release_detail, name="api-release"),
    path("people/", views.people, name="api-people"),
    path("organisations/", views.organisations, name="api-organisations"),
    path("meetings/", views.meetings, name="api-meetings"),
    path("meetings/<slug:slug>/", views.meeting_detail, name="api-meeting"),
]
