import pytest
from django.core.management import call_command

from tests import factories


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("createcachetable", verbosity=0)


@pytest.fixture
def site_pages(db):
    return factories.make_site()


@pytest.fixture
def tutorial_index(site_pages):
    return site_pages[1]


@pytest.fixture
def tutorial(tutorial_index):
    return factories.make_tutorial(tutorial_index)
