import pytest

from tests import factories
from tests.training import builders


@pytest.fixture
def base(db):
    factories.ensure_base_data()


@pytest.fixture
def departments(base):
    return builders.tree()
