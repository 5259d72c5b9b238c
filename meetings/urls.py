from django.urls import path

from meetings import views

urlpatterns = [
    path("reunions/", views.agenda, name="meeting-agenda"),
    path("reunions/agenda.ics", views.agenda_ics, name="meeting-agenda-ics"),
    path("reunions/<slug:slug>.ics", views.meeting_ics, name="meeting-ics"),
]
