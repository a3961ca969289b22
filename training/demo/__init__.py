"""Demo departments, staff records and a course for `seed_demo` (the data is in training.json)."""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib.auth import get_user_model

from training.models import Course, Department, Lesson, StaffProfile

DATA = Path(__file__).with_name("training.json")


def _departments(nodes: list[dict], parent: Department | None, prefix: str, found: dict[str, Department]) -> None:
    for node in nodes:
        department, _ = Department.objects.get_or_create(name=node["name"], parent=parent)
        path = f"{prefix}{node['name']}"
        found[path] = department
        _departments(node["children"], department, f"{path}/", found)


def seed_training(*, tutorials_by_slug: dict, data_file: Path = DATA) -> dict[str, int]:
    """Departments, the demo staff's records and the demo courses, made live through a second person's approval.

    Idempotent: what exists (by department path, staff number, course title) is left as it is.
    """
    data = json.loads(data_file.read_text(encoding="utf-8"))
    users = {user.username: user for user in get_user_model().objects.all()}
    departments: dict[str, Department] = {}
    _departments(data["departments"], None, "", departments)

    staff = 0
    for entry in data["staff"]:
        profile, created = StaffProfile.objects.get_or_create(
            staff_number=entry["staff_number"], defaults={"user": users[entry["username"]], "name": entry["name"]}
        )
        if created:
            profile.departments.set([departments[path] for path in entry["departments"]])
            staff += 1

    from training.demo.quiz import demo_quiz, seed_question_banks

    seed_question_banks(entries=data.get("question_banks", []), folder=data_file.parent)

    courses = 0
    for entry in data["courses"]:
        if Course.objects.filter(title=entry["title"]).exists():
            continue
        course = Course(title=entry["title"], description=entry["description"], live=False)
        for order, spec in enumerate(entry["lessons"]):
            tutorial = tutorials_by_slug.get(spec.get("tutorial", ""))
            course.lessons.add(
                Lesson(sort_order=order, title=spec["title"], tutorial=tutorial, body=spec.get("body", ""))
            )
        if entry.get("final_quiz"):
            course.final_quiz = demo_quiz(entry["final_quiz"])
        course.save()
        course.audience_departments.set([departments[path] for path in entry["audience"]])
        revision = course.save_revision(user=users[entry["author"]])
        # The demo stands for a finished review: the author wrote it, another person approved it (approvers hold
        # no publish permission; as in cms.workflows, the approval is the authorisation).
        revision.publish(user=users[entry["approver"]], skip_permission_checks=True)
        courses += 1
    from training.course_status import course_status_rebuild

    course_status_rebuild()
    return {"departments": len(departments), "staff": staff, "courses": courses}
