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
]
