from django.urls import path

from skills import views, views_cards, views_map

app_name = "skills"

urlpatterns = [
    path("", views.index, name="index"),
    path("cartes/", views_cards.board, name="board"),
    path("cartes/atelier/", views_cards.board_workshop, name="board_workshop"),
    path("cartes/nouvelle/", views_cards.card_create, name="card_create"),
    path("cartes/<int:pk>/", views_cards.card_detail, name="card_detail"),
    path("cartes/<int:pk>/modifier/", views_cards.card_edit, name="card_edit"),
    path("cartes/<int:pk>/supprimer/", views_cards.card_delete, name="card_delete"),
    path("cartes/<int:pk>/interet/", views_cards.card_interest, name="card_interest"),
    path("proposer/", views.propose, name="propose"),
    path("carte/", views_map.skills_map, name="map"),
    path("carte/export/<str:fmt>/", views_map.map_export, name="map_export"),
    path("carte/tableau/<str:fmt>/", views_map.table_export, name="table_export"),
    path("binomes/", views_map.pairs, name="pairs"),
    # A skill's own pages: keep them last, "<slug>/" would otherwise catch the fixed paths above.
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/valider/", views.validate, name="validate"),
    path("<slug:slug>/renommer/", views.rename, name="rename"),
    path("<slug:slug>/fusionner/", views.merge, name="merge"),
]
