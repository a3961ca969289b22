"""Receivers that keep the staff-only search index in step with courses: they only enqueue."""

from django.db import transaction
from wagtail.signals import page_published, page_unpublished, published, unpublished


def course_changed(sender, instance, **kwargs) -> None:
    from .tasks import index_staff_course

    course_id = instance.pk
    transaction.on_commit(lambda: index_staff_course.enqueue(course_id))


def tutorial_changed(sender, instance, **kwargs) -> None:
    """A lesson's text in the index includes its tutorial's steps: the courses that link it are indexed again."""
    from .models import Lesson
    from .tasks import index_staff_course

    course_ids = set(Lesson.objects.filter(tutorial_id=instance.pk).values_list("course_id", flat=True))
    for course_id in course_ids:
        transaction.on_commit(lambda course_id=course_id: index_staff_course.enqueue(course_id))


def register_signal_handlers() -> None:
    from tutorials.models import TutorialPage

    from .models import Course

    published.connect(course_changed, sender=Course, dispatch_uid="training_staff_index_published")
    unpublished.connect(course_changed, sender=Course, dispatch_uid="training_staff_index_unpublished")
    page_published.connect(tutorial_changed, sender=TutorialPage, dispatch_uid="training_staff_index_tutorial")
    page_unpublished.connect(tutorial_changed, sender=TutorialPage, dispatch_uid="training_staff_index_tutorial_gone")
