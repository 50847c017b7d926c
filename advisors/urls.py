from django.urls import path

from advisors import views, views_directory, views_places, views_profiles

app_name = "advisors"

urlpatterns = [
    path("conseillers/", views_directory.directory, name="directory"),
    path("pres-de-chez-moi/<str:code>/", views_directory.near, name="near"),
    path("promos/", views_directory.cohorts, name="cohorts"),
    path("promos/<slug:slug>/", views_directory.cohort, name="cohort"),
    path("reseau/", views.my_network, name="my_network"),
    path("reseau/rejoindre/", views.membership_request, name="membership_request"),
    path("reseau/<str:code>/demandes/", views.membership_requests, name="membership_requests"),
    path("reseau/demandes/<int:pk>/decision/", views.membership_decide, name="membership_decide"),
    path("reseau/<str:code>/invitations/", views.invitations, name="invitations"),
    path("reseau/invitations/<int:pk>/annuler/", views.invitation_revoke, name="invitation_revoke"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("structures/", views_places.structures, name="structures"),
    path("structures/nouvelle/", views_places.structure_create, name="structure_create"),
    path("structures/<int:pk>/", views_places.structure_detail, name="structure"),
    path("structures/<int:pk>/modifier/", views_places.structure_edit, name="structure_edit"),
    path("structures/<int:pk>/perimetre/", views_places.structure_perimeter, name="structure_perimeter"),
    path(
        "structures/<int:pk>/perimetre/retirer/",
        views_places.structure_perimeter_remove,
        name="structure_perimeter_remove",
    ),
    path("structures/<int:pk>/lieux/nouveau/", views_places.lieu_create, name="lieu_create"),
    path("lieux/<int:pk>/", views_places.lieu_detail, name="lieu"),
    path("lieux/<int:pk>/modifier/", views_places.lieu_edit, name="lieu_edit"),
    path("conseillers/<int:pk>/", views_profiles.profile, name="profile"),
    path("profil/", views_profiles.my_profile, name="my_profile"),
    path("profil/<slug:section>/", views_profiles.my_profile_section, name="my_profile_section"),
]
