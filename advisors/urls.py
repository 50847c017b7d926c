from django.urls import path

from advisors.views import account, directory, network, places, profiles

app_name = "advisors"

urlpatterns = [
    path("conseillers/", directory.directory, name="directory"),
    path("promos/", directory.cohorts, name="cohorts"),
    path("promos/<slug:slug>/", directory.cohort, name="cohort"),
    path("reseau/", network.my_network, name="my_network"),
    path("reseau/rejoindre/", network.membership_request, name="membership_request"),
    path("reseau/<int:pk>/quitter/", account.membership_leave, name="membership_leave"),
    path("reseau/<str:code>/demandes/", network.membership_requests, name="membership_requests"),
    path("reseau/demandes/<int:pk>/decision/", network.membership_decide, name="membership_decide"),
    path("reseau/<str:code>/invitations/", network.invitations, name="invitations"),
    path("reseau/invitations/<int:pk>/annuler/", network.invitation_revoke, name="invitation_revoke"),
    path("compte/mes-donnees/", account.my_data, name="my_data"),
    path("compte/mes-donnees/telecharger/", account.my_data_download, name="my_data_download"),
    path("compte/supprimer/", account.account_delete, name="account_delete"),
    path("invitation/<str:token>/", network.invitation, name="invitation"),
    path("structures/", places.structures, name="structures"),
    path("structures/nouvelle/", places.structure_create, name="structure_create"),
    path("structures/<int:pk>/", places.structure_detail, name="structure"),
    path("structures/<int:pk>/modifier/", places.structure_edit, name="structure_edit"),
    path("structures/<int:pk>/perimetre/", places.structure_perimeter, name="structure_perimeter"),
    path(
        "structures/<int:pk>/perimetre/retirer/",
        places.structure_perimeter_remove,
        name="structure_perimeter_remove",
    ),
    path("structures/<int:pk>/lieux/nouveau/", places.lieu_create, name="lieu_create"),
    path("structures/rattachements/<int:pk>/decision/", places.attachment_decide, name="attachment_decide"),
    path("reseau/<str:code>/structures/", places.place_requests, name="place_requests"),
    path("reseau/<str:code>/perimetres/<int:pk>/decision/", places.perimeter_decide, name="perimeter_decide"),
    path("lieux/<int:pk>/decision/", places.lieu_decide, name="lieu_decide"),
    path("lieux/<int:pk>/", places.lieu_detail, name="lieu"),
    path("lieux/<int:pk>/modifier/", places.lieu_edit, name="lieu_edit"),
    path("lieux/<int:pk>/fermetures/ajouter/", places.lieu_closure_add, name="lieu_closure_add"),
    path(
        "lieux/<int:pk>/fermetures/<int:closure_pk>/supprimer/", places.lieu_closure_delete, name="lieu_closure_delete"
    ),
    path("conseillers/<int:pk>/", profiles.profile, name="profile"),
    path("profil/", profiles.my_profile, name="my_profile"),
    path("profil/<slug:section>/", profiles.my_profile_section, name="my_profile_section"),
]
