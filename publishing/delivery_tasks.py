from django_tasks import task

from . import delivery_services


@task(queue_name="publishing")
def deliver(delivery_id: int) -> str:
    """One try of a webhook delivery; a delivered or failed one is left alone, so a repeat sends nothing."""
    return delivery_services.delivery_send(delivery_id=delivery_id)


@task(queue_name="publishing")
def deliveries_due() -> int:
    return len(delivery_services.deliveries_due())
