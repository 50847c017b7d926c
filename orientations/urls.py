from django.urls import path

from orientations.views import follow, send

app_name = "orientations"

urlpatterns = [
    # Sending (orientations/views/send.py): describe the need, see who fits, send to one.
    path("nouvelle/", send.search, name="new"),
    path("nouvelle/envoyer/", send.compose, name="compose"),
    path("<int:pk>/", send.detail, name="detail"),
    path("<int:pk>/fiche/", send.slip, name="slip"),
    # Following (orientations/views/follow.py): received and sent lists, state, the network's flows.
    path("", follow.inbox, name="inbox"),
    path("envoyees/", follow.sent, name="sent"),
    path("<int:pk>/etat/", follow.change_status, name="status"),
    path("reseau/<str:code>/", follow.flows, name="flows"),
]
