from django.urls import path

from events.views import calendar, feeds, manage, programme, registrations  # noqa: F401 — filled area by area

app_name = "events"

urlpatterns = [
    # Calendar and event page (views/calendar.py)
    path("", calendar.index, name="index"),
    # Creating and editing events, co-organisers, needs (views/manage.py)
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
    # iCalendar files and feeds (views/feeds.py)
]
