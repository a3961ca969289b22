"""The step feedback report (a Wagtail ReportView) and the optional reason a citizen gives with "No"."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cms import roles
from tests import factories
from tutorials.models import StepFeedback

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


def vote(client, page, step_id, helpful, reason=None, **extra):
    data = {"page": page.pk, "step": step_id, "helpful": helpful}
    if reason is not None:
        data["reason"] = reason
    return client.post(reverse("step_feedback"), data, REMOTE_ADDR="10.1.2.3", **extra)


def test_the_step_offers_the_four_reasons_without_script(client, tutorial):
    html = client.get(tutorial.url).content.decode()
    for value, label in [
        ("unclear", "步骤看不懂"),
        ("screenshot", "截图和手机上不一样"),
        ("button", "找不到按钮"),
        ("other", "其他"),
    ]:
        assert f'name="reason" value="{value}"' in html
        assert label in html
    assert "<script>" not in html and "style=" not in html


def test_a_reason_is_stored_with_a_no_and_only_a_fixed_choice(client, tutorial):
    first, second = tutorial.step_ids()[:2]
    assert vote(client, tutorial, first, "no", "screenshot").status_code == 302
    assert vote(client, tutorial, second, "no").status_code == 302  # the reason is optional
    assert vote(client, tutorial, second, "yes", "button").status_code == 302  # a "Yes" keeps none
    response = vote(client, tutorial, first, "no", "my phone is 13800138000", HTTP_ACCEPT="application/json")
    assert response.status_code == 400 and response.json()["ok"] is False
    assert list(StepFeedback.objects.order_by("pk").values_list("step_id", "helpful", "reason")) == [
        (first, False, "screenshot"),
        (second, False, ""),
        (second, True, ""),
    ]


def test_the_script_sends_the_chosen_reason_too(client, tutorial):
    response = vote(client, tutorial, tutorial.step_ids()[0], "no", "button", HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response.json()["ok"] is True
    assert StepFeedback.objects.get().reason == "button"


@pytest.fixture
def answers(tutorial):
    steps = tutorial.step_ids()
    rows = [
        (steps[0], True, ""),
        (steps[0], True, ""),
        (steps[0], False, "unclear"),
        (steps[2], False, "button"),
        (steps[2], False, "button"),
        (steps[2], False, "screenshot"),
        (steps[2], False, ""),
    ]
    StepFeedback.objects.bulk_create(StepFeedback(page=tutorial, step_id=s, helpful=h, reason=r) for s, h, r in rows)
    return steps


@pytest.fixture
def editor(client):
    client.force_login(factories.make_user("ed", roles.EDITORS))
    return client


def rows(response):
    return [(row.number, row.helpful, row.not_helpful) for row in response.context["object_list"]]


def test_report_counts_answers_and_reasons_per_step_and_links_the_step(editor, tutorial, answers):
    response = editor.get(reverse("step_feedback_report"))
    assert response.status_code == 200
    assert rows(response) == [(1, 2, 1), (3, 0, 4)]
    first, third = response.context["object_list"]
    assert first.helpful_percent == 67
    assert (third.button, third.screenshot, third.unclear, third.other) == (2, 1, 0, 0)
    html = response.content.decode()
    assert "第1步：打开应用" in html
    assert f'href="{tutorial.url}#step-3"' in html  # the step on the public page
    assert reverse("wagtailadmin_pages:edit", args=(tutorial.pk,)) in html  # and the tutorial in the editor
    assert 'value="67"' in html and "<meter" in html
    assert "找不到按钮: <strong data-reason-count>2</strong>" in html


def test_report_sorts_by_any_count(editor, tutorial, answers):
    assert rows(editor.get(reverse("step_feedback_report"), {"ordering": "-not_helpful"})) == [(3, 0, 4), (1, 2, 1)]
    assert rows(editor.get(reverse("step_feedback_report"), {"ordering": "share"})) == [(3, 0, 4), (1, 2, 1)]
    assert rows(editor.get(reverse("step_feedback_report"), {"ordering": "-helpful"})) == [(1, 2, 1), (3, 0, 4)]
    # An unknown ordering falls back to the tutorial and step order rather than failing.
    assert rows(editor.get(reverse("step_feedback_report"), {"ordering": "pk; drop"})) == [(1, 2, 1), (3, 0, 4)]


def test_report_filters_by_date(editor, tutorial, answers):
    old = timezone.now() - timedelta(days=40)
    StepFeedback.objects.filter(step_id=answers[2]).update(created_at=old)
    recent = (timezone.localdate() - timedelta(days=7)).isoformat()
    response = editor.get(reverse("step_feedback_report"), {"created_at_from": recent})
    assert rows(response) == [(1, 2, 1)]
    until = (timezone.localdate() - timedelta(days=30)).isoformat()
    assert rows(editor.get(reverse("step_feedback_report"), {"created_at_to": until})) == [(3, 0, 4)]
    # A date that cannot be read is a form error on the page, not a failure.
    assert editor.get(reverse("step_feedback_report"), {"created_at_from": "yesterday"}).status_code == 200


def test_report_exports_csv_and_xlsx(editor, tutorial, answers):
    response = editor.get(reverse("step_feedback_report"), {"export": "csv"})
    assert response.status_code == 200
    table = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    header, *body = table
    assert "找不到按钮" in header and len(body) == 2
    by_step = {row[1]: dict(zip(header, row, strict=True)) for row in body}
    assert by_step["3"]["找不到按钮"] == "2" and by_step["1"]["步骤看不懂"] == "1"
    xlsx = editor.get(reverse("step_feedback_report"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert sheet.max_row == 3 and sheet.cell(row=2, column=1).value == tutorial.title


def test_a_removed_step_is_still_listed(editor, tutorial):
    StepFeedback.objects.create(page=tutorial, step_id="gone", helpful=False, reason="other")
    response = editor.get(reverse("step_feedback_report"))
    [row] = response.context["object_list"]
    assert row.number is None and row.other == 1
