"""Receivers that keep the dashboard status rows in step with courses, departments and membership: they only
enqueue ``training.tasks.refresh_course_status``."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.signals import published, unpublished


def _enqueue(*, person_ids=None, course_ids=None) -> None:
    from .tasks import refresh_course_status

    people = None if person_ids is None else sorted(person_ids)
    courses = None if course_ids is None else sorted(course_ids)
    transaction.on_commit(lambda: refresh_course_status.enqueue(person_ids=people, course_ids=courses))


def course_changed(sender, instance, **kwargs) -> None:
    """Publishing writes the live audience, lessons, deadline and personal deadlines."""
    _enqueue(course_ids=[instance.pk])


def membership_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    if action == "pre_clear":
        if reverse:
            instance._cleared_staff = list(instance.staff.values_list("pk", flat=True))
        return
    if not reverse:
        _enqueue(person_ids=[instance.pk])
    elif action == "post_clear":
        _enqueue(person_ids=getattr(instance, "_cleared_staff", []))
    else:
        _enqueue(person_ids=pk_set or [])


def department_changed(sender, instance, created: bool = False, **kwargs) -> None:
    """A department moved in the tree (or went): who a course reaches below it may change."""
    if not created:
        _enqueue()


def register_signal_handlers() -> None:
    from .models import Course, Department, StaffProfile

    published.connect(course_changed, sender=Course, dispatch_uid="training_status_published")
    unpublished.connect(course_changed, sender=Course, dispatch_uid="training_status_unpublished")
    m2m_changed.connect(
        membership_changed, sender=StaffProfile.departments.through, dispatch_uid="training_status_membership"
    )
    post_save.connect(department_changed, sender=Department, dispatch_uid="training_status_department")
    post_delete.connect(department_changed, sender=Department, dispatch_uid="training_status_department_gone")
