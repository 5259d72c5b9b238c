from django.urls import path

from alerts import views

urlpatterns = [
    path("alertes/", views.subscribe, name="alerts-subscribe"),
    path("alertes/confirmer/<str:token>/", views.confirm, name="alerts-confirm"),
    path("alertes/gerer/<str:token>/", views.manage, name="alerts-manage"),
    path("alertes/desabonner/<str:token>/", views.unsubscribe, name="alerts-unsubscribe"),
]
