"""Builders for training test data: a department tree, staff, and courses made live through the real workflow."""

from __future__ import annotations

import itertools

from django.contrib.auth.models import Group

from cms import roles
from tests import factories
from training.models import Course, Department, Lesson, StaffProfile

_counter = itertools.count(1)


def tree() -> dict[str, Department]:
    """城关县 → 东关街道 → 便民服务中心, 城关县 → 西关街道, and another county, 河西县."""
    county = Department.objects.create(name="城关县")
    east = Department.objects.create(name="东关街道", parent=county)
    office = Department.objects.create(name="便民服务中心", parent=east)
    west = Department.objects.create(name="西关街道", parent=county)
    other = Department.objects.create(name="河西县")
    return {"county": county, "east": east, "office": office, "west": west, "other": other}


def staff(name: str, *departments: Department, number: str | None = None, groups=(roles.STAFF_LEARNERS,)):
    number = number or f"S{next(_counter):05d}"
    user = factories.make_user(number, *groups)
    profile = StaffProfile.objects.create(user=user, name=name, staff_number=number)
    profile.departments.set(departments)
    return profile


def manager(name: str, *departments: Department) -> StaffProfile:
    return staff(name, *departments, groups=(roles.TRAINING_MANAGERS,))


def course(
    title: str = "社保业务入门",
    *,
    departments=(),
    people=(),
    lessons: list[dict] | None = None,
    live: bool = True,
    deadline=None,
) -> Course:
    """A course with lessons; ``live`` publishes its revision directly (tests not about the review)."""
    course = Course(title=title, description="学会帮群众查社保", deadline=deadline, live=False)
    for order, spec in enumerate(lessons or [{"title": "第一课", "body": "<p>正文</p>"}]):
        course.lessons.add(Lesson(sort_order=order, **spec))
    course.save()
    course.audience_departments.set(departments)
    course.audience_people.set(people)
    course.save()
    revision = course.save_revision(user=None)
    if live:
        revision.publish()
        course.refresh_from_db()
    return course


def learner_group() -> Group:
    return Group.objects.get(name=roles.STAFF_LEARNERS)
