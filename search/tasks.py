from django_tasks import task

from . import services


@task(queue_name="search")
def search_outbox_drain() -> dict:
    return services.outbox_drain()
