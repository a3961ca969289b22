import io
import re
from collections import Counter
from dataclasses import replace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings

from tests.training import builders, quiz_builders
from tests.training.quiz.strategies import banks
from training.models import Question, QuestionCategory
from training.quiz import (
    BankFormat,
    Choice,
    MultipleChoice,
    QuestionBank,
    SingleChoice,
    parse_file,
    write_aiken,
    write_gift,
    write_xlsx,
)
from training.quiz_services import bank_export, bank_import, pure_question

WRITERS = {"gift": write_gift, "aiken": write_aiken, "xlsx": write_xlsx}
DEFAULT = "默认"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def as_bytes(written) -> bytes:
    return written.encode() if isinstance(written, str) else written


def normalised(bank):
    return Counter(
        replace(question, category=question.category or DEFAULT, tags=tuple(sorted(question.tags)))
        for question in bank.questions
    )


def db_bank():
    return Counter(pure_question(question) for question in Question.objects.all())


def round_trip(bank, fmt: str):
    Question.objects.all().delete()
    QuestionCategory.objects.all().delete()
    result = bank_import(data=as_bytes(WRITERS[fmt](bank)), format=fmt, category=DEFAULT)
    assert result.ok, result.errors
    assert db_bank() == normalised(bank)
    exported = parse_file(bank_export(format=BankFormat(fmt)), format=BankFormat(fmt), category=DEFAULT)
    assert exported.ok, exported.errors
    assert normalised(exported.bank) == normalised(bank)


HYPOTHESIS = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@HYPOTHESIS
@given(bank=banks(fmt="gift"))
def test_gift_export_then_import_gives_the_same_bank(base, bank):
    round_trip(bank, "gift")


@HYPOTHESIS
@given(bank=banks(fmt="aiken"))
def test_aiken_export_then_import_gives_the_same_bank(base, bank):
    round_trip(bank, "aiken")


@HYPOTHESIS
@given(bank=banks(fmt="xlsx"))
def test_xlsx_export_then_import_gives_the_same_bank(base, bank):
    round_trip(bank, "xlsx")


BAD_GIFT = """::一::社保卡补办去哪里？{
=人社窗口
~派出所
}

::二::医保能在手机上办吗？{
~可以
~不可以
}
"""


def test_a_malformed_bank_imports_nothing_and_names_the_lines(base):
    result = bank_import(data=BAD_GIFT.encode(), format="gift", category="社保")
    assert not result.ok and not result.created
    assert [line for line, _ in result.errors] == [6]
    assert "right option" in result.errors[0][1]
    assert not Question.objects.exists() and not QuestionCategory.objects.exists()


def test_questions_without_any_category_are_refused(base):
    result = bank_import(data=write_gift(quiz_builders_bank()).encode(), format="gift")
    assert not result.ok and "no category" in result.errors[0][1]


def quiz_builders_bank():
    return QuestionBank(quiz_builders.ALL)


def sheet_bank():
    """What a sheet holds: no option feedback, no negative marks."""
    return QuestionBank(
        (
            SingleChoice(
                text="社保卡补办去哪里？", choices=(Choice(text="人社窗口", weight=100), Choice(text="派出所"))
            ),
            MultipleChoice(
                text="办理医保转移需要哪些材料？",
                choices=(Choice(text="身份证", weight=50), Choice(text="参保凭证", weight=50), Choice(text="户口本")),
            ),
            quiz_builders.SHORT,
            quiz_builders.MATCHING,
        )
    )


def test_import_command_dry_run_then_import(base, tmp_path):
    path = tmp_path / "bank.gift"
    path.write_text(write_gift(quiz_builders_bank()), encoding="utf-8")
    out = io.StringIO()
    call_command("question_import", str(path), "--category", "社保", "--dry-run", stdout=out)
    assert "Would import 5 questions." in out.getvalue() and not Question.objects.exists()
    call_command("question_import", str(path), "--category", "社保", stdout=io.StringIO())
    assert Question.objects.filter(category__name="社保").count() == 5


def test_import_command_prints_each_error_with_its_line_and_fails(base, tmp_path):
    path = tmp_path / "bad.gift"
    path.write_text(BAD_GIFT, encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("question_import", str(path), "--format", "gift", "--category", "社保", stderr=err)
    assert err.getvalue().startswith("bad.gift:6: ")
    assert not Question.objects.exists()


def test_a_file_that_is_not_text_gets_a_clear_error(base, tmp_path):
    path = tmp_path / "bank.txt"
    path.write_bytes(b"\xff\xfe\x00\x81\x30\x81" * 3)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("question_import", str(path), "--format", "aiken", "--category", "社保", stderr=err)
    assert "neither UTF-8 nor GB18030" in err.getvalue() or err.getvalue()


def test_export_command_writes_a_file_that_imports_back(base, tmp_path):
    for category in ("社保", "医保"):
        assert bank_import(data=write_xlsx(sheet_bank()), format="xlsx", category=category).ok
    out = tmp_path / "bank.xlsx"
    call_command("question_export", "--format", "xlsx", "--category", "医保", "--out", str(out), stderr=io.StringIO())
    parsed = parse_file(out.read_bytes(), format=BankFormat.XLSX)
    assert parsed.ok and len(parsed.bank.questions) == 4
    assert {question.category for question in parsed.bank.questions} == {"医保"}
    with pytest.raises(CommandError, match="No question category"):
        call_command("question_export", "--category", "没有")


def test_export_in_aiken_refuses_types_it_cannot_hold(base):
    quiz_builders.bank()
    with pytest.raises(CommandError, match="AIKEN"):
        call_command("question_export", "--format", "aiken", stdout=io.StringIO())


@pytest.fixture
def manager_client(departments):
    boss = builders.manager("王主任", departments["east"])
    client = Client()
    client.force_login(boss.user)
    client.cookies["django_language"] = "en"
    return client


def test_admin_import_previews_then_imports_on_confirm(manager_client):
    upload = io.BytesIO(write_xlsx(sheet_bank()))
    upload.name = "bank.xlsx"
    response = manager_client.post(reverse("training_question_import"), {"file": upload, "category": "社保"})
    html = response.content.decode()
    assert response.status_code == 200 and "data-import-preview" in html and "社保卡补办去哪里" in html
    assert not Question.objects.exists()
    token = response.context["token"]
    response = manager_client.post(reverse("training_question_import"), {"confirm": token})
    assert response.status_code == 302
    assert Question.objects.count() == 4


def test_admin_import_with_errors_shows_lines_and_imports_nothing(manager_client):
    upload = io.BytesIO(BAD_GIFT.encode())
    upload.name = "bank.gift"
    response = manager_client.post(reverse("training_question_import"), {"file": upload, "category": "社保"})
    html = response.content.decode()
    assert "data-import-errors" in html and "Line 6" in html
    assert "data-import-preview" not in html and not Question.objects.exists()


def test_admin_export_and_template_downloads(manager_client):
    quiz_builders.bank()
    response = manager_client.get(reverse("training_question_export"), {"format": "gift"})
    assert response.status_code == 200 and "社保卡补办去哪里" in response.content.decode()
    assert response["Content-Disposition"].endswith('questions.gift"')
    response = manager_client.get(reverse("training_question_template"))
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_question_bank_list_filters_by_category_and_tag(manager_client):
    category, rows = quiz_builders.bank("社保")
    rows["single"].tags.add("补办")
    quiz_builders.bank("医保")
    url = reverse("wagtailsnippets_training_question:list")
    listed = re.compile(r'_title">([^<]+)</span>')
    html = manager_client.get(url, {"category": category.pk}).content.decode()
    assert len(listed.findall(html)) == 5
    tag = rows["single"].tags.get()
    html = manager_client.get(url, {"tags": tag.pk}).content.decode()
    assert listed.findall(html) == ["社保卡补办去哪里？"]
    html = manager_client.get(url, {"type": "matching"}).content.decode()
    assert listed.findall(html) == ["把业务和办理地点连起来。"] * 2


def test_a_question_edited_in_the_admin_is_checked(manager_client):
    from tests.training.test_question_editor import post

    category, _ = quiz_builders.bank()
    data = post("single", category, choices=[{"text": "A", "weight": "0"}, {"text": "B", "weight": "0"}])
    before = Question.objects.count()
    response = manager_client.post(reverse("wagtailsnippets_training_question:add"), data)
    assert response.status_code == 200 and "exactly one right option" in response.content.decode()
    assert Question.objects.count() == before
    data["choices-0-weight"] = "100"
    response = manager_client.post(reverse("wagtailsnippets_training_question:add"), data)
    assert response.status_code == 302 and Question.objects.count() == before + 1


def test_a_manager_chooses_quizzes_on_the_course_and_its_lessons(manager_client, departments):
    category, _ = quiz_builders.bank()
    quiz = quiz_builders.quiz(category)
    course = builders.course("街道课程", departments=[departments["east"]], live=False)
    html = manager_client.get(reverse("wagtailsnippets_training_course:edit", args=(course.pk,))).content.decode()
    assert 'name="final_quiz"' in html and 'name="lessons-0-quiz"' in html
    html = manager_client.get(reverse("wagtailsnippets_training_quiz:edit", args=(quiz.pk,))).content.decode()
    assert 'name="draws-0-category"' in html and 'name="pass_mark"' in html
