"""seed_demo's letters: the Loire's two previous months' letters, sent, in the archive, with their editorial and
the newcomers who agreed to be introduced — and a second run creates nothing."""

from datetime import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from advisors.models import Advisor, User
from animation.enums import LetterStatus
from animation.models import Letter, LetterDelivery
from tests.pages import page_text


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True
    run("import_territories", "--departements", "42")
    return run("seed_demo")


def test_two_previous_months_letters_sent_in_the_archive(seeded, client):
    first_of_month = timezone.localdate().replace(day=1)
    letters = list(Letter.objects.filter(departement="42").order_by("period"))
    assert len(letters) == 2
    assert all(letter.status == LetterStatus.SENT and letter.sent_at for letter in letters)
    assert letters[1].period < first_of_month and letters[0].period < letters[1].period
    assert (first_of_month - letters[1].period).days <= 31
    assert all("La coordination départementale" in letter.editorial for letter in letters)
    assert all(
        letter.recipients_count == LetterDelivery.objects.filter(letter=letter).count() > 50 for letter in letters
    )
    # Each letter introduces only newcomers who agreed.
    introduced = [item["id"] for letter in letters for item in letter.content["newcomers"]]
    assert introduced
    assert set(Advisor.objects.filter(pk__in=introduced).values_list("introduce_in_letter", flat=True)) == {True}
    # And a newcomer of the letters' months who said no is in neither. The letters' newcomers are those who
    # arrived from a month before the first one went out to the day the second did (not from its period: on
    # the first days of a month, the newcomers of the demo arrived before the first of two months ago).
    window = (
        timezone.localtime(datetime.fromisoformat(letters[0].content["since"])).date(),
        timezone.localtime(letters[1].sent_at).date(),
    )
    silent = Advisor.objects.filter(introduce_in_letter=False, arrival_date__range=window).exclude(pk__in=introduced)
    assert silent.exists()
    assert any(letter.content["resources"] for letter in letters)

    client.force_login(User.objects.get(email="membre@demo.maillage.fr"))
    archive = page_text(client.get(reverse("animation:letters", args=["42"])))
    assert letters[0].subject in archive and letters[1].subject in archive
    page = client.get(letters[1].get_absolute_url())
    assert page.status_code == 200
    assert "La Fête du numérique de la Loire se prépare" in page_text(page)


def test_a_second_run_creates_nothing(seeded):
    before = list(Letter.objects.values_list("pk", "updated_at"))
    consent = set(Advisor.objects.filter(introduce_in_letter=True).values_list("pk", flat=True))
    Advisor.objects.filter(pk__in=list(consent)[:1]).update(introduce_in_letter=False)  # someone said no since
    run("seed_demo")
    assert list(Letter.objects.values_list("pk", "updated_at")) == before
    assert set(Advisor.objects.filter(introduce_in_letter=True).values_list("pk", flat=True)) == consent - set(
        list(consent)[:1]
    )
