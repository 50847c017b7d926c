from django.urls import path

from overview import views

app_name = "overview"

urlpatterns = [
    path("", views.home, name="home"),
    path("territoires/choisir/", views.choose_departement, name="choose"),
    path("territoires/communes/<str:code>/", views.commune, name="commune"),
    path("territoires/<str:code>/", views.departement, name="departement"),
    path("pres-de-chez-moi/<str:code>/", views.near, name="near"),
    path("couverture/", views.coverage, name="coverage"),
    path("couverture/export/", views.coverage_export, name="coverage_export"),
    # Open data: the national lieux export of each département, at addresses that stay (the INSEE code).
    path("donnees/", views.open_data, name="open_data"),
    path("donnees/lieux/<str:code>.csv", views.lieux_export_csv, name="lieux_export_csv"),
    path("donnees/lieux/<str:code>.json", views.lieux_export_json, name="lieux_export_json"),
]
