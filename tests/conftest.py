import pytest

from tests import factories


@pytest.fixture
def site_pages(db):
    return factories.make_site()


@pytest.fixture
def tutorial_index(site_pages):
    return site_pages[1]


@pytest.fixture
def tutorial(tutorial_index):
    return factories.make_tutorial(tutorial_index)
