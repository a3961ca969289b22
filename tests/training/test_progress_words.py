"""The words beside the numbers: a course's count names items when a final quiz is counted beside the lessons, and a
dashboard row nobody has a score in shows a dash (an empty cell in the exports), never 0.0."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.training import builders, quiz_builders
from training import quiz_services, services
from training.course_status import course_status_rebuild

THREE_LESSONS = [{"title": title, "body": f"<p>{title}</p>"} for title in ("第一课", "第二课", "第三课")]


@pytest.fixture
def learner(departments):
    return builders.staff("李明", departments["office"], number="A001")


def with_final_quiz(departments, title="结业课程"):
    category, _questions = quiz_builders.bank()
    quiz = quiz_builders.quiz(category, count=5)
    course = builders.course(title, departments=[departments["county"]], lessons=THREE_LESSONS, live=False)
    course.final_quiz = quiz
    course.save()
    course.save_revision(user=None).publish()
    course.refresh_from_db()
    return course


def signed_in(profile, language: str) -> Client:
    client = Client()
    client.force_login(profile.user)
    client.cookies["django_language"] = language
    return client


def count_on(html: str) -> str:
    return re.sub(r"\s+", " ", re.search(r"data-course-count>([^<]*)<", html).group(1)).strip()


def test_a_course_with_a_final_quiz_counts_items_in_both_languages(learner, departments):
    course = with_final_quiz(departments)
    first = course.lessons.order_by("sort_order").first()

    chinese = signed_in(learner, "zh-hans")
    assert count_on(chinese.get(reverse("training:my_learning")).content.decode()) == "已完成 0/4 项（各课及结业测验）"
    english = signed_in(learner, "en")
    html = english.get(reverse("training:my_learning")).content.decode()
    assert count_on(html) == "0 of 4 items done (lessons and the final quiz)"
    assert "lessons done" not in html

    services.lesson_mark_done(user=learner.user, lesson=first, how="marked_done")
    assert count_on(english.get(reverse("training:course", args=(course.pk,))).content.decode()) == (
        "1 of 4 items done (lessons and the final quiz)"
    )
    assert count_on(chinese.get(reverse("training:lesson", args=(first.pk,))).content.decode()) == (
        "已完成 1/4 项（各课及结业测验）"
    )
    # The lesson page's script writes the count the server sends back.
    payload = english.post(
        reverse("training:lesson_done", args=(first.pk,)), {"how": "marked_done"}, HTTP_ACCEPT="application/json"
    ).json()
    assert payload["course_count"] == "1 of 4 items done (lessons and the final quiz)"


def test_a_course_of_lessons_only_still_counts_lessons(learner, departments):
    builders.course("全县课程", departments=[departments["county"]], lessons=THREE_LESSONS)
    assert count_on(signed_in(learner, "en").get(reverse("training:my_learning")).content.decode()) == (
        "0 of 3 lessons done"
    )
    assert count_on(signed_in(learner, "zh-hans").get(reverse("training:my_learning")).content.decode()) == (
        "3 课中已完成 0 课"
    )


@pytest.fixture
def scored(departments):
    """Two courses: one where 李明 finished the final quiz, one that nobody has an attempt in."""
    d = departments
    quizzed = with_final_quiz(d, title="有成绩的课程")
    builders.course("没人考过的课程", departments=[d["office"]], lessons=THREE_LESSONS)
    li = builders.staff("李明", d["office"])
    builders.staff("张强", d["west"])
    attempt = quiz_services.quiz_attempt_start(user=li.user, quiz=quizzed.final_quiz)
    quiz_services.quiz_attempt_submit(user=li.user, attempt=attempt, answers={})
    boss = builders.manager("刘主任", d["county"])
    course_status_rebuild()
    client = Client()
    client.force_login(boss.user)
    return {"client": client, "d": d, "score": attempt.__class__.objects.get(pk=attempt.pk).score}


def cells(html: str, label: str) -> list[str]:
    """The text of the table row whose first cell holds ``label``."""
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, flags=re.S):
        texts = [re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        if texts and texts[0] == label:
            return texts
    raise AssertionError(f"no row for {label}")


def test_no_finished_attempt_shows_a_dash_not_zero(scored):
    client, d = scored["client"], scored["d"]
    html = client.get(reverse("training_dashboard_courses")).content.decode()
    assert cells(html, "没人考过的课程")[-1] == "—"
    assert cells(html, "有成绩的课程")[-1] == str(scored["score"].quantize(Decimal("0.1")))

    html = client.get(reverse("training_dashboard_departments"), {"department": d["county"].pk}).content.decode()
    assert cells(html, "西关街道")[-1] == "—"  # 张强 has taken no quiz
    assert cells(html, "东关街道")[-1] != "—"
    assert "0.0" not in "".join(cells(html, "西关街道"))


def test_the_exports_leave_an_empty_cell_where_there_is_no_score(scored):
    client, d = scored["client"], scored["d"]
    response = client.get(reverse("training_dashboard_courses"), {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    by_title = {row[0]: row for row in rows[1:]}
    assert by_title["没人考过的课程"][-1] == ""
    assert by_title["有成绩的课程"][-1] != ""

    response = client.get(reverse("training_dashboard_departments"), {"department": d["county"].pk, "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    by_label = {row[0]: row for row in ([cell.value for cell in row] for row in sheet.iter_rows())}
    assert by_label["西关街道"][-1] is None
    assert by_label["东关街道"][-1] is not None
