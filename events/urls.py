from django.urls import path

from events.views import calendar, feeds, manage, programme, registrations  # noqa: F401 — filled area by area

app_name = "events"

urlpatterns = [
    # Calendar and event page (views/calendar.py)
    path("", calendar.index, name="index"),
    # Creating and editing events, co-organisers, needs (views/manage.py)
    # Registrations, waiting list, attendance (views/registrations.py)
    # Programme: slots, animators, grid (views/programme.py)
    # iCalendar files and feeds (views/feeds.py)
]
