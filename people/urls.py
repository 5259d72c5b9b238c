from django.urls import path

from people import views

urlpatterns = [
    path("personnes/<slug:slug>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("organisations/<slug:slug>/", views.OrganisationDetailView.as_view(), name="organisation-detail"),
]
