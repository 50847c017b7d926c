"""Pages leave compressed when the browser accepts it, and stay correct: security headers, CSRF tokens, streamed
exports. And the gunicorn warm-up compiles the templates without keeping a database connection."""

import csv
import gzip
import io
import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from config import gunicorn
from tests.skills import map_data

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture
def client():
    """A plain client: the site's CSRF-checking one reads every HTML body, and these are compressed."""
    return Client()


def test_a_page_is_compressed_and_keeps_its_security_headers(client, member):
    client.force_login(member)
    plain = client.get(reverse("advisors:directory"))
    response = client.get(reverse("advisors:directory"), **GZIP)
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert response["Content-Security-Policy"] == plain["Content-Security-Policy"]
    html = gzip.decompress(response.content)
    assert b"<h1" in html and html.count(b"<article") == plain.content.count(b"<article")
    assert len(response.content) < len(html) / 3


def test_the_csrf_token_differs_in_every_compressed_response(client, member):
    """What keeps BREACH from guessing the token through compressed sizes: a newly masked one each time."""
    client.force_login(member)

    def token():
        html = gzip.decompress(client.get(reverse("advisors:structure_create"), **GZIP).content).decode()
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    assert token() != token()


def test_without_accept_encoding_the_page_is_plain(client, db):
    response = client.get(reverse("advisors:directory"))
    assert not response.has_header("Content-Encoding")
    assert b"<h1" in response.content


def test_a_streamed_export_is_compressed_as_it_streams(client, coordinator, loire):
    map_data.build(loire)
    client.force_login(coordinator)
    response = client.get(f"{reverse('skills:map_export', args=['csv'])}?territoire=42", **GZIP)
    assert response.streaming and response["Content-Encoding"] == "gzip"
    raw = gzip.decompress(b"".join(response.streaming_content))
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Domaine", "Compétence"] and len(rows) > 1


@pytest.mark.django_db(transaction=True)
def test_the_gunicorn_warm_up_compiles_the_templates_and_closes_its_connections(settings, caplog):
    settings.ALLOWED_HOSTS = ["maillage.example"]
    with caplog.at_level("INFO", logger="gunicorn.error"):
        gunicorn.warm_up()
    assert "Warm-up failed" not in caplog.text
    compiled, statuses = re.search(r"Warm-up: (\d+) templates compiled, .* answered \[(.*)\]", caplog.text).groups()
    assert int(compiled) > 100
    assert statuses == "200, 200"
    assert connection.connection is None
