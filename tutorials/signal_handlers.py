from functools import partial

from django.db import transaction
from wagtail.signals import page_published

from .models import TutorialPage
from .tasks import tutorial_chapter_posters, tutorial_prepare_images


def enqueue_image_preparation(sender, instance, **kwargs):
    transaction.on_commit(partial(tutorial_prepare_images.enqueue, instance.pk))


def enqueue_chapter_posters(sender, instance, **kwargs):
    transaction.on_commit(partial(tutorial_chapter_posters.enqueue, instance.pk))


def register_signal_handlers() -> None:
    page_published.connect(enqueue_image_preparation, sender=TutorialPage, dispatch_uid="tutorial_prepare_images")
    page_published.connect(enqueue_chapter_posters, sender=TutorialPage, dispatch_uid="tutorial_chapter_posters")
