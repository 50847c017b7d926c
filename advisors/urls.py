from django.urls import path

from advisors import views

app_name = "advisors"

urlpatterns = [
    path("conseillers/", views.directory, name="directory"),
    path("reseau/", views.my_network, name="my_network"),
    path("reseau/rejoindre/", views.membership_request, name="membership_request"),
    path("reseau/<str:code>/demandes/", views.membership_requests, name="membership_requests"),
    path("reseau/demandes/<int:pk>/decision/", views.membership_decide, name="membership_decide"),
    path("reseau/<str:code>/invitations/", views.invitations, name="invitations"),
    path("reseau/invitations/<int:pk>/annuler/", views.invitation_revoke, name="invitation_revoke"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
]
