"""The personal data of orientations is erased after the retention period (manage.py erase_orientations)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from advisors.services.account import account_delete
from orientations.models import Orientation
from orientations.services.retention import to_erase
from tests.orientations.factories import OrientationFactory


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def run(*args):
    out = StringIO()
    call_command("erase_orientations", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def retention(settings):
    settings.ORIENTATION_RETENTION_DAYS = 92
    return 92


def test_old_orientations_lose_the_persons_data_the_message_and_the_note_and_keep_the_rest(db, retention):
    old = OrientationFactory(
        created_at=days_ago(retention + 1),
        person_first_name="Maria",
        person_phone="06 11 22 33 44",
        person_email="maria@exemple.fr",
        message="Maria, 67 ans, a besoin d’aide pour Ameli",
        status="taken",
        status_note="avec Camille le mardi",
    )
    recent = OrientationFactory(created_at=days_ago(retention - 1), person_first_name="Joaquim")

    out = run()

    old.refresh_from_db()
    assert (old.person_first_name, old.person_phone, old.person_email, old.message) == ("", "", "", "")
    assert old.status_note == ""  # free text too: it may be about her
    assert old.personal_data_erased_at is not None
    # What the network's figures and the lists still need.
    assert (old.status, old.commune_id is not None, old.departement_id is not None) == ("taken", True, True)
    recent.refresh_from_db()
    assert recent.person_first_name == "Joaquim" and recent.personal_data_erased_at is None
    assert "Données personnelles de 1 orientation de plus de 92 jours effacée." in out


def test_the_command_is_idempotent(db, retention):
    OrientationFactory.create_batch(2, created_at=days_ago(retention + 10))
    assert "de 2 orientations" in run()
    erased_at = set(Orientation.objects.values_list("personal_data_erased_at", flat=True))

    assert "de 0 orientation " in run()
    assert set(Orientation.objects.values_list("personal_data_erased_at", flat=True)) == erased_at


def test_the_dry_run_counts_and_changes_nothing(db, retention):
    orientation = OrientationFactory(created_at=days_ago(retention + 1), person_first_name="Maria")

    out = run("--dry-run")

    assert "1 orientation de plus de 92 jours à effacer (essai\u00a0: rien n’est effacé)." in out
    orientation.refresh_from_db()
    assert orientation.person_first_name == "Maria" and orientation.personal_data_erased_at is None


def test_the_period_is_the_setting(db, settings):
    settings.ORIENTATION_RETENTION_DAYS = 10
    orientation = OrientationFactory(created_at=days_ago(11))

    assert "de plus de 10 jours" in run()
    orientation.refresh_from_db()
    assert orientation.person_phone == ""


def test_the_selection_can_use_the_partial_index(db, retention):
    OrientationFactory(created_at=days_ago(retention + 1))
    sql, params = to_erase().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "orientation_to_erase" in plan


# When the receiver goes away


def test_a_deleted_receiver_takes_the_persons_data_and_the_record_stays(loire, django_capture_on_commit_callbacks):
    orientation = OrientationFactory(
        person_first_name="Maria", message="Maria a besoin d’aide", status="taken", status_note="Maria vient mardi"
    )
    structure_id = orientation.receiver_structure_id
    receiver = orientation.receiver_advisor

    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=receiver.user)

    orientation.refresh_from_db()
    assert orientation.receiver_advisor_id is None
    assert (orientation.person_first_name, orientation.person_phone, orientation.message) == ("", "", "")
    assert orientation.status_note == "" and orientation.status == "taken"
    assert orientation.personal_data_erased_at is not None
    assert orientation.receiver_structure_id == structure_id  # the network's flows still count it


def test_a_deleted_lieu_takes_the_persons_data_and_an_erasure_date_is_kept(db, retention):
    erased_at = days_ago(3)
    old = OrientationFactory(
        to_lieu=True, created_at=days_ago(200), personal_data_erased_at=erased_at, person_first_name=""
    )
    fresh = OrientationFactory(receiver_advisor=None, receiver_lieu=old.receiver_lieu, person_first_name="Joaquim")

    old.receiver_lieu.delete()

    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.personal_data_erased_at == erased_at and old.receiver_lieu_id is None
    assert fresh.person_first_name == "" and fresh.personal_data_erased_at is not None


def test_a_deleted_sender_leaves_the_orientation_to_its_receiver(db):
    orientation = OrientationFactory(person_first_name="Maria")

    orientation.sender.delete()

    orientation.refresh_from_db()
    assert orientation.sender_id is None and orientation.person_first_name == "Maria"
