from django.urls import path

from animation.views import channels, dashboard, letters, partners

app_name = "animation"

urlpatterns = [
    # Partners (views/partners.py): the organisations the network works with.
    path("reseau/<str:code>/partenaires/", partners.partner_list, name="partners"),
    path("reseau/<str:code>/partenaires/nouveau/", partners.partner_new, name="partner_new"),
    path("reseau/<str:code>/partenaires/<int:pk>/", partners.partner_detail, name="partner"),
    path("reseau/<str:code>/partenaires/<int:pk>/modifier/", partners.partner_edit, name="partner_edit"),
    path("reseau/<str:code>/partenaires/<int:pk>/decision/", partners.partner_decide, name="partner_decide"),
    path("reseau/<str:code>/partenaires/<int:pk>/je-le-connais/", partners.partner_know, name="partner_know"),
    path("reseau/<str:code>/partenaires/<int:pk>/supprimer/", partners.partner_delete, name="partner_delete"),
    # Channels (views/channels.py): where the network talks, and their webhooks.
    path("reseau/<str:code>/canaux/", channels.channel_list, name="channels"),
    path("reseau/<str:code>/canaux/nouveau/", channels.channel_new, name="channel_new"),
    path("reseau/<str:code>/canaux/<int:pk>/modifier/", channels.channel_edit, name="channel_edit"),
    path("reseau/<str:code>/canaux/<int:pk>/supprimer/", channels.channel_delete, name="channel_delete"),
    path("reseau/<str:code>/canaux/<int:pk>/tester/", channels.channel_test, name="channel_test"),
    # The coordinators' dashboard (views/dashboard.py): every figure links to the list behind it.
    path("reseau/<str:code>/tableau-de-bord/", dashboard.dashboard, name="dashboard"),
    path("reseau/<str:code>/tableau-de-bord/export/", dashboard.dashboard_export, name="dashboard_export"),
    path("reseau/<str:code>/tableau-de-bord/relances/", dashboard.profile_remind, name="profile_remind"),
    path("reseau/<str:code>/tableau-de-bord/<slug:figure>/", dashboard.dashboard_list, name="dashboard_list"),
    # The monthly letter (views/letters.py): archive, web version, edit, test, send, unsubscribe.
    path("reseau/<str:code>/lettres/", letters.letter_list, name="letters"),
    path("reseau/<str:code>/lettres/nouvelle/", letters.letter_new, name="letter_new"),
    path("reseau/<str:code>/lettres/<str:period>/", letters.letter_detail, name="letter"),
    path("reseau/<str:code>/lettres/<str:period>/modifier/", letters.letter_edit, name="letter_edit"),
    path("reseau/<str:code>/lettres/<str:period>/test/", letters.letter_test, name="letter_test"),
    path("reseau/<str:code>/lettres/<str:period>/envoyer/", letters.letter_send, name="letter_send"),
    path("lettre/desinscription/<str:token>/", letters.letter_unsubscribe, name="letter_unsubscribe"),
]
