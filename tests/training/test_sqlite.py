"""The training status rows and dashboards on the embedded SQLite default (`make run`): migrate a fresh file, take
a course through the services, and open the dashboard pages, in a subprocess with its own settings."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import datetime
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.test.utils import setup_test_environment
from django.urls import reverse
from django.utils import timezone
from training import services
from training.models import Course, CourseStatus, Department, Lesson, LessonProgress, StaffProfile

setup_test_environment()
county = Department.objects.create(name="城关县")
office = Department.objects.create(name="便民服务中心", parent=county)
learner = User.objects.create_user("S00001", "s1@example.com", "pw")
person = StaffProfile.objects.create(user=learner, name="李明", staff_number="S00001")
person.departments.set([office])
course = Course(title="社保业务入门", deadline=timezone.localdate() - datetime.timedelta(days=1), live=False)
course.lessons.add(Lesson(sort_order=0, title="第一课", body="<p>正文</p>"))
course.save()
course.audience_departments.set([county])
course.save()
course.save_revision(user=None).publish()
call_command("db_worker", "--batch", "--queue-name", "default", "--no-startup-delay", verbosity=0)
row = CourseStatus.objects.get(person=person, course=course)
print("assigned", row.required_items, row.completed_items, row.complete)
client = Client(raise_request_exception=False)
client.force_login(User.objects.create_superuser("probe", "probe@example.com", "pw"))
page = client.get(reverse("training_overdue"), HTTP_HOST="localhost")
print("overdue", page.status_code, "S00001" in page.content.decode())
services.lesson_mark_done(
    user=learner, lesson=course.lessons.get(), how=LessonProgress.CompletedBy.MARKED_DONE
)
row = CourseStatus.objects.get(person=person, course=course)
print("done", row.required_items, row.completed_items, row.complete, row.completed_at is not None)
for name in ("training_dashboard_departments", "training_dashboard_courses", "training_dashboard_questions"):
    page = client.get(reverse(name), HTTP_HOST="localhost")
    print(page.status_code, name, "社保业务入门" in page.content.decode())
page = client.get(reverse("training_overdue"), HTTP_HOST="localhost")
print("overdue", page.status_code, "S00001" in page.content.decode())
"""


def test_course_status_and_dashboards_on_sqlite(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update({"DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}", "VAR_DIR": str(tmp_path)})

    def manage(*args, stdin=None):
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, input=stdin,
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip

    migrated = manage("migrate", "-v", "0")
    assert migrated.returncode == 0, migrated.stderr
    probed = manage("shell", "-v", "0", stdin=SCRIPT)
    assert probed.returncode == 0, probed.stderr
    assert probed.stdout.split("\n")[:-1] == [
        "assigned 1 0 False",
        "overdue 200 True",
        "done 1 1 True True",
        "200 training_dashboard_departments True",
        "200 training_dashboard_courses True",
        "200 training_dashboard_questions False",
        "overdue 200 False",
    ], probed.stdout + probed.stderr
