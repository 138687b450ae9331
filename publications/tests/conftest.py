import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Demo PDFs and uploads are written to a throwaway directory, never the checkout.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def demo(db):
    from publications.demo import build_demo_content

    return build_demo_content()
