import zoneinfo

from django.utils import timezone

from territories.scope import COOKIE_NAME

# Overseas départements live in their own time zone; every other one in Europe/Paris.
# (Same source as the import: INSEE codes, IANA zone names.)
OVERSEAS_TIMEZONES = {
    "971": "America/Guadeloupe",
    "972": "America/Martinique",
    "973": "America/Cayenne",
    "974": "Indian/Reunion",
    "976": "Indian/Mayotte",
}


def timezone_for(departement_code):
    return OVERSEAS_TIMEZONES.get(departement_code, "Europe/Paris")


class DepartementTimezoneMiddleware:
    """Show dates and times in the time zone of the visitor's chosen département.

    Read from the scope cookie, without a query: a visitor who chose La Réunion reads
    meeting times in Indian/Reunion.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        code = request.COOKIES.get(COOKIE_NAME, "")
        timezone.activate(zoneinfo.ZoneInfo(timezone_for(code)))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
