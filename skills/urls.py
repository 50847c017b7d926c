from django.urls import path

from skills.views import cards, map, taxonomy

app_name = "skills"

urlpatterns = [
    path("", taxonomy.index, name="index"),
    path("cartes/", cards.board, name="board"),
    path("cartes/atelier/", cards.board_workshop, name="board_workshop"),
    path("cartes/nouvelle/", cards.card_create, name="card_create"),
    path("cartes/<int:pk>/", cards.card_detail, name="card_detail"),
    path("cartes/<int:pk>/modifier/", cards.card_edit, name="card_edit"),
    path("cartes/<int:pk>/supprimer/", cards.card_delete, name="card_delete"),
    path("cartes/<int:pk>/interet/", cards.card_interest, name="card_interest"),
    path("proposer/", taxonomy.propose, name="propose"),
    path("carte/", map.skills_map, name="map"),
    path("carte/export/<str:fmt>/", map.map_export, name="map_export"),
    path("carte/tableau/<str:fmt>/", map.table_export, name="table_export"),
    path("binomes/", map.pairs, name="pairs"),
    # A skill's own pages: keep them last, "<slug>/" would otherwise catch the fixed paths above.
    path("<slug:slug>/", taxonomy.detail, name="detail"),
    path("<slug:slug>/valider/", taxonomy.validate, name="validate"),
    path("<slug:slug>/renommer/", taxonomy.rename, name="rename"),
    path("<slug:slug>/fusionner/", taxonomy.merge, name="merge"),
]
