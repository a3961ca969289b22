"""Background work goes through the database queue and a worker, not the request."""

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from tests import factories

# The worker closes its database connections between tasks, as it would in production.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_queue(settings):
    # django-tasks drops its cached backends when the setting changes.
    queues = settings.TASKS["default"]["QUEUES"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": queues}}


def test_publishing_queues_index_work_and_the_worker_runs_it(database_queue):
    _, index = factories.make_site()
    page = factories.make_tutorial(index, publish=False)
    # The screenshot's personal-information scan must end before the tutorial may be published.
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", "--no-reload", verbosity=0)
    DBTaskResult.objects.all().delete()
    page.get_latest_revision().publish()
    queued = DBTaskResult.objects.all()
    assert queued.exists()
    assert set(queued.values_list("status", flat=True)) == {"READY"}
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", "--no-reload", verbosity=0)
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
