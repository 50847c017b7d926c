"""Geocoding a lieu's address through the national address API (Base Adresse Nationale).

Optional: only when ``settings.GEOCODER_URL`` is set (in production, for example
``https://api-adresse.data.gouv.fr/search/``). Unset, the default of ``make run`` and of the
tests, nothing ever leaves the server. Standard library only, a short timeout, and any failure
(network, HTTP error, unreadable answer, doubtful match) means « no position »: the lieu then sits
at its commune's point, and saving it never waits long or fails because of the geocoder.
"""

import http.client
import json
import logging
import math
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 3
# The BAN's own confidence, 0 to 1: below one half the match is usually another street.
MIN_SCORE = 0.5
MAX_ANSWER_BYTES = 1_000_000


def address_geocode(*, address, commune):
    """``(latitude, longitude)`` of ``address`` in ``commune`` (a ``territories.Commune``), or ``None``.

    ``None`` without a geocoder, without an address, and whenever the answer cannot be trusted:
    no result, a score under ``MIN_SCORE``, a result in another commune, or any failure.
    """
    url = settings.GEOCODER_URL
    address = (address or "").strip()
    if not url or not address:
        return None
    query = urllib.parse.urlencode({"q": f"{address} {commune.name}", "citycode": commune.code, "limit": 1})
    request = urllib.request.Request(
        f"{url}{'&' if '?' in url else '?'}{query}", headers={"Accept": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (the URL is a setting)
            answer = json.loads(response.read(MAX_ANSWER_BYTES))
    except (OSError, http.client.HTTPException, ValueError) as error:
        # URLError, HTTPError and timeouts are OSError; a broken answer (not HTTP, cut short) an
        # HTTPException; bad JSON or bytes are ValueError.
        logger.warning("Géocodage impossible pour « %s » (%s) : %s", address, commune.code, error)
        return None
    return _position(answer, commune_code=commune.code)


def _position(answer, *, commune_code):
    try:
        feature = answer["features"][0]
        properties = feature["properties"]
        longitude, latitude = (float(value) for value in feature["geometry"]["coordinates"][:2])
        score = float(properties["score"])
        citycode = properties.get("citycode")
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    if score < MIN_SCORE or citycode != commune_code:
        return None
    if not (math.isfinite(latitude) and math.isfinite(longitude)):
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return (latitude, longitude)
