import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """seed_demo writes the resources' files through default_storage: into a temporary folder, not ./media."""
    settings.MEDIA_ROOT = tmp_path / "media"
