from pathlib import Path

from django.conf import settings

HERE = Path(__file__).parent


def pytest_collection_modifyitems(config, items):
    """The smoke run is for SQLite: on PostgreSQL (the rest of the suite) its tests are left out,
    deselected rather than skipped, so a PostgreSQL run stays as long as it was."""
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        return
    left_out = [item for item in items if HERE in item.path.parents]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if HERE not in item.path.parents]
