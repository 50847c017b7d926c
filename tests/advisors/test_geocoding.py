"""Geocoding lieux through the national address API (BAN), against a real HTTP server on 127.0.0.1.

The server answers what each test tells it to (a BAN FeatureCollection, an error, silence, garbage)
and records the requests it got, so that the tests also see what Maillage asked, and that it asks
nothing at all when ``GEOCODER_URL`` is unset.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from advisors.enums import PositionSource
from advisors.services import geocoding
from advisors.services import places as services
from tests.advisors.factories import StructureFactory

CARNOT = (45.4446, 4.3861)  # [lon, lat] in GeoJSON


def ban_answer(*, score=0.93, citycode="42218", coordinates=(CARNOT[1], CARNOT[0])):
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": list(coordinates)},
                "properties": {"label": "5 Place Carnot 42000 Saint-Étienne", "score": score, "citycode": citycode},
            }
        ],
    }


class FakeBan:
    """A local HTTP server: ``status``, ``body`` (bytes) and ``delay`` (seconds) say how it answers."""

    def __init__(self):
        self.status, self.body, self.delay, self.raw = 200, b"{}", 0, False
        self.requests = []
        ban = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                ban.requests.append(self.path)
                if ban.delay:
                    time.sleep(ban.delay)
                try:
                    if ban.raw:
                        self.wfile.write(ban.body)  # Not even HTTP.
                        return
                    self.send_response(ban.status)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(ban.body)
                except OSError:
                    pass  # The client gave up (the timeout test).

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/search/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def answer(self, payload=None, *, status=200, body=None, delay=0, raw=False):
        self.status, self.delay, self.raw = status, delay, raw
        self.body = body if body is not None else json.dumps(payload).encode()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def ban(settings):
    server = FakeBan()
    settings.GEOCODER_URL = server.url
    yield server
    server.close()


@pytest.fixture
def saint_etienne_point(saint_etienne):
    saint_etienne.latitude, saint_etienne.longitude = 45.4397, 4.3872
    saint_etienne.save()
    return saint_etienne


def test_a_good_match_places_the_lieu_at_its_address(ban, saint_etienne_point):
    ban.answer(ban_answer())
    assert geocoding.address_geocode(address="5 place Carnot", commune=saint_etienne_point) == CARNOT
    (path,) = ban.requests
    query = parse_qs(urlsplit(path).query)
    assert urlsplit(path).path == "/search/"
    assert query["citycode"] == ["42218"] and query["limit"] == ["1"]
    assert "5 place Carnot" in query["q"][0]


def test_a_lieu_created_with_an_address_gets_the_geocoded_position(ban, saint_etienne_point):
    ban.answer(ban_answer())
    lieu = services.lieu_create(
        structure=StructureFactory(commune=saint_etienne_point),
        commune=saint_etienne_point,
        name="Carnot",
        address="5 place Carnot",
    )
    lieu.refresh_from_db()
    assert (lieu.point, lieu.position_source) == (CARNOT, PositionSource.ADDRESS)
    # Saved again with the same address: kept, the geocoder is not asked again.
    services.lieu_update(lieu=lieu, name="Carnot, salle 2", address="5 place Carnot")
    lieu.refresh_from_db()
    assert (lieu.point, lieu.position_source, len(ban.requests)) == (CARNOT, PositionSource.ADDRESS, 1)


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param({"payload": ban_answer(score=0.42)}, id="low score"),
        pytest.param({"payload": ban_answer(citycode="42207")}, id="another commune"),
        pytest.param({"payload": {"type": "FeatureCollection", "features": []}}, id="nothing found"),
        pytest.param({"payload": ban_answer(coordinates=("est", "nord"))}, id="coordinates not numbers"),
        pytest.param({"payload": ban_answer(), "status": 500}, id="server error"),
        pytest.param({"body": b"<html>Bad gateway</html>"}, id="not JSON"),
        pytest.param({"body": b"\xff\xfe\x00garbage"}, id="garbage bytes"),
        pytest.param({"payload": ["a", "list"]}, id="JSON of another shape"),
        pytest.param({"body": b"SMTP ready\r\n\r\n", "raw": True}, id="not HTTP"),
    ],
)
def test_a_doubtful_answer_keeps_the_commune_point(ban, saint_etienne_point, answer):
    ban.answer(**answer)
    assert geocoding.address_geocode(address="5 place Carnot", commune=saint_etienne_point) is None
    lieu = services.lieu_create(
        structure=StructureFactory(commune=saint_etienne_point),
        commune=saint_etienne_point,
        name="Carnot",
        address="5 place Carnot",
    )
    lieu.refresh_from_db()
    assert (lieu.point, lieu.position_source) == ((45.4397, 4.3872), PositionSource.COMMUNE)
    assert len(ban.requests) == 2


def test_a_slow_geocoder_does_not_hold_the_save(ban, saint_etienne_point, monkeypatch):
    monkeypatch.setattr(geocoding, "TIMEOUT_SECONDS", 0.3)  # 3 s in production; the test need not wait that long
    ban.answer(ban_answer(), delay=2)
    started = time.monotonic()
    lieu = services.lieu_create(
        structure=StructureFactory(commune=saint_etienne_point),
        commune=saint_etienne_point,
        name="Carnot",
        address="5 place Carnot",
    )
    assert time.monotonic() - started < 1.5
    lieu.refresh_from_db()
    assert (lieu.point, lieu.position_source) == ((45.4397, 4.3872), PositionSource.COMMUNE)


def test_an_unreachable_geocoder_keeps_the_commune_point(settings, saint_etienne_point):
    server = FakeBan()
    settings.GEOCODER_URL = server.url
    server.close()  # Nobody listens on that port any more: connection refused.
    assert geocoding.address_geocode(address="5 place Carnot", commune=saint_etienne_point) is None


def test_a_typed_position_is_not_geocoded(ban, saint_etienne_point):
    ban.answer(ban_answer())
    lieu = services.lieu_create(
        structure=StructureFactory(commune=saint_etienne_point),
        commune=saint_etienne_point,
        name="Carnot",
        address="5 place Carnot",
        latitude=45.44,
        longitude=4.39,
    )
    lieu.refresh_from_db()
    assert (lieu.point, lieu.position_source, ban.requests) == ((45.44, 4.39), PositionSource.TYPED, [])


def test_nothing_is_requested_without_a_geocoder(ban, settings, saint_etienne_point):
    settings.GEOCODER_URL = ""
    ban.answer(ban_answer())
    assert geocoding.address_geocode(address="5 place Carnot", commune=saint_etienne_point) is None
    lieu = services.lieu_create(
        structure=StructureFactory(commune=saint_etienne_point),
        commune=saint_etienne_point,
        name="Carnot",
        address="5 place Carnot",
    )
    services.lieu_update(lieu=lieu, address="7 place Carnot")
    lieu.refresh_from_db()
    assert (lieu.point, lieu.position_source, ban.requests) == ((45.4397, 4.3872), PositionSource.COMMUNE, [])


def test_a_lieu_without_address_is_not_geocoded(ban, saint_etienne_point):
    ban.answer(ban_answer())
    assert geocoding.address_geocode(address="  ", commune=saint_etienne_point) is None
    assert ban.requests == []
