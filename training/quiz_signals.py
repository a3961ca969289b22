"""Receivers that only enqueue: a saved course revision or an edited question gets its courses scanned."""

from django.db.models import Q
from django.db.models.signals import post_save
from wagtail.models import Revision


def _enqueue(course_ids) -> None:
    from privacy.services import scan_request

    from .models import Course

    for course_id in sorted(set(course_ids)):
        scan_request(obj=Course(pk=course_id))


def scan_saved_course(sender, instance: Revision, created: bool, **kwargs) -> None:
    from .models import Course

    if created and not kwargs.get("raw") and instance.content_type.model_class() is Course:
        _enqueue([int(instance.object_id)])


def scan_courses_of_question(sender, instance, **kwargs) -> None:
    from .models import Course

    if kwargs.get("raw"):
        return
    drawn = Q(lessons__quiz__draws__category_id=instance.category_id) | Q(
        final_quiz__draws__category_id=instance.category_id
    )
    _enqueue(Course.objects.filter(drawn).values_list("pk", flat=True).distinct())


def register_signal_handlers() -> None:
    from .models import Question

    post_save.connect(scan_saved_course, sender=Revision, dispatch_uid="training_scan_saved_course")
    post_save.connect(scan_courses_of_question, sender=Question, dispatch_uid="training_scan_question_courses")
