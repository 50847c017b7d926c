from django.urls import path, re_path

from events.views import calendar, feeds, manage, programme, registrations, series  # noqa: F401 — filled area by area

app_name = "events"

urlpatterns = [
    # Calendar and event page (views/calendar.py)
    path("", calendar.index, name="index"),
    path("passes/", calendar.past, name="past"),
    path("mois/", calendar.month, name="month"),
    re_path(r"^mois/(?P<year>[0-9]{4})-(?P<month>[0-9]{2})/$", calendar.month, name="month"),
    path("<int:pk>/", calendar.detail, name="detail"),
    # Creating and editing events, co-organisers, needs (views/manage.py)
    path("nouveau/", manage.create, name="create"),
    path("<int:pk>/modifier/", manage.edit, name="edit"),
    path("<int:pk>/publier/", manage.publish, name="publish"),
    path("<int:pk>/annuler/", manage.cancel, name="cancel"),
    path("<int:pk>/reporter/", manage.postpone, name="postpone"),
    path("<int:pk>/supprimer/", manage.delete, name="delete"),
    path("<int:pk>/bilan/", manage.report, name="report"),
    path("<int:pk>/organisateurs/", manage.organisers, name="organisers"),
    path("<int:pk>/quitter/", manage.leave, name="leave"),
    path("organisateurs/<int:pk>/reponse/", manage.organiser_respond, name="organiser_respond"),
    path("organisateurs/<int:pk>/responsable/", manage.organiser_promote, name="organiser_promote"),
    path("organisateurs/<int:pk>/retirer/", manage.organiser_remove, name="organiser_remove"),
    path("mes-invitations/", manage.invitations, name="invitations"),
    path("<int:pk>/besoins/", manage.need_create, name="need_create"),
    path("besoins/<int:pk>/couvert/", manage.need_cover, name="need_cover"),
    path("besoins/<int:pk>/supprimer/", manage.need_delete, name="need_delete"),
    path("besoins/<int:pk>/proposer/", manage.need_offer, name="need_offer"),
    path("besoins/<int:pk>/retirer/", manage.need_offer_withdraw, name="need_offer_withdraw"),
    # Registrations, waiting list, attendance (views/registrations.py)
    path("<int:pk>/inscription/", registrations.register, name="register"),
    path("<int:pk>/desinscription/", registrations.unregister, name="unregister"),
    path("<int:pk>/inscription/envoyee/", registrations.registration_sent, name="registration_sent"),
    path("creneaux/<int:pk>/inscription/", registrations.slot_register, name="slot_register"),
    path("creneaux/<int:pk>/desinscription/", registrations.slot_unregister, name="slot_unregister"),
    path("inscriptions/<str:token>/confirmer/", registrations.registration_confirm, name="registration_confirm"),
    path("inscriptions/<str:token>/annuler/", registrations.registration_cancel, name="registration_cancel"),
    path("<int:pk>/inscrits/", registrations.registrations, name="registrations"),
    path("<int:pk>/inscrits/export.csv", registrations.registrations_export, name="registrations_export"),
    path("<int:pk>/emargement/", registrations.sign_in_sheet, name="sign_in_sheet"),
    path("<int:pk>/presences/", registrations.attendance, name="attendance"),
    # Programme: slots, animators, grid (views/programme.py)
    path("<int:pk>/programme/", programme.programme, name="programme"),
    path("<int:pk>/programme/ajouter/", programme.slot_create, name="slot_create"),
    path("creneaux/<int:pk>/modifier/", programme.slot_edit, name="slot_edit"),
    path("creneaux/<int:pk>/supprimer/", programme.slot_delete, name="slot_delete"),
    path("creneaux/<int:pk>/animer/", programme.animator_propose, name="animator_propose"),
    path("creneaux/<int:pk>/ne-plus-animer/", programme.animator_withdraw, name="animator_withdraw"),
    path("creneaux/<int:pk>/animateurs/confirmer/", programme.animator_confirm, name="animator_confirm"),
    path("creneaux/<int:pk>/animateurs/retirer/", programme.animator_remove, name="animator_remove"),
    # One name, two lists: one event's slots (with its pk), a département's (?departement=42, without).
    path("<int:pk>/animateurs-manquants/", programme.missing_animators, name="missing_animators"),
    path("animateurs-manquants/", programme.missing_animators, name="missing_animators"),
    # iCalendar files and feeds (views/feeds.py)
    path("<int:pk>/evenement.ics", feeds.event_ics, name="ics"),
    path("flux/<str:code>.ics", feeds.departement_feed, name="departement_feed"),
    path("flux/personnel/<str:token>.ics", feeds.private_feed, name="private_feed"),
    path("mon-agenda/", feeds.calendar_token, name="calendar_token"),
    # Recurring events (views/series.py)
    path("<int:pk>/repeter/", series.series_create, name="series_create"),
]
