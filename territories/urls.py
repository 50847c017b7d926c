from django.urls import path

from territories import views

app_name = "territories"

urlpatterns = [
    path("", views.index, name="index"),
    path("communes/", views.commune_lookup, name="commune_lookup"),
    path("communes/suggestions/", views.commune_suggestions, name="commune_suggestions"),
    path("epci/<str:siren>/", views.epci_detail, name="epci"),
]
