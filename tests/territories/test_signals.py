"""``territories_imported``: sent once at the end of an import, inside its transaction, with what changed."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from territories.models import Commune
from territories.signals import territories_imported

pytestmark = pytest.mark.django_db


@pytest.fixture
def received():
    calls = []

    def listener(sender, *, report, **kwargs):
        calls.append((report, connection.in_atomic_block, Commune.objects.filter(departement="42").count()))

    territories_imported.connect(listener, dispatch_uid="test-listener")
    yield calls
    territories_imported.disconnect(dispatch_uid="test-listener")


def import_loire():
    call_command("import_territories", "--departements", "42", stdout=StringIO())


def test_sent_once_at_the_end_of_an_import_with_its_report(received):
    import_loire()
    ((report, in_transaction, communes),) = received
    # The communes are already there when the receivers run, in the import's transaction.
    assert (report.communes.created, report.communes.updated, in_transaction, communes) == (320, 0, True, 320)
    import_loire()
    assert not received[1][0].changed


def test_a_failing_receiver_undoes_the_import(received):
    def broken(sender, **kwargs):
        raise RuntimeError("receiver failed")

    territories_imported.connect(broken, dispatch_uid="test-broken")
    try:
        with pytest.raises(RuntimeError):
            import_loire()
    finally:
        territories_imported.disconnect(dispatch_uid="test-broken")
    assert not Commune.objects.filter(departement="42").exists()


def test_not_sent_when_the_import_is_refused(received):
    with pytest.raises(CommandError):
        call_command("import_territories", "--departements", "1000", stdout=StringIO(), stderr=StringIO())
    assert received == []
