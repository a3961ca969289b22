from functools import partial

from django.db import transaction
from wagtail.signals import page_published

from .models import TutorialPage
from .tasks import tutorial_prepare_images


def enqueue_image_preparation(sender, instance, **kwargs):
    transaction.on_commit(partial(tutorial_prepare_images.enqueue, instance.pk))


def register_signal_handlers() -> None:
    page_published.connect(enqueue_image_preparation, sender=TutorialPage, dispatch_uid="tutorial_prepare_images")
