import datetime
import json
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from tests.training import builders, quiz_builders
from training import quiz_selectors, quiz_services, selectors, services
from training.models import Answer, Attempt
from training.quiz_services import AttemptNotFound, QuizError, TimeUp

QUERIES_PER_SUBMISSION = 36


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def learner(departments):
    return builders.staff("李明", departments["office"], number="A001")


@pytest.fixture
def setup(departments):
    category, rows = quiz_builders.bank()
    quiz = quiz_builders.quiz(category, count=5, pass_mark=60, attempts_limit=2)
    course = quiz_builders.course_with_quiz(departments, quiz)
    return {"category": category, "rows": rows, "quiz": quiz, "course": course}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_start_draws_every_question_once_and_a_second_start_resumes(learner, setup):
    attempt = quiz_services.quiz_attempt_start(user=learner.user, quiz=setup["quiz"])
    assert sorted(attempt.question_ids) == sorted(q.pk for q in setup["rows"].values())
    assert attempt.number == 1 and attempt.state == Attempt.State.IN_PROGRESS
    again = quiz_services.quiz_attempt_start(user=learner.user, quiz=setup["quiz"])
    assert again.pk == attempt.pk and Attempt.objects.count() == 1


def test_full_marks_pass_and_complete_the_lesson(learner, setup):
    lesson = setup["course"].lessons.get()
    services.lesson_mark_done(user=learner.user, lesson=lesson, how="marked_done")
    progress = selectors.learner_course_progress(user=learner.user, course=setup["course"])
    assert not progress.complete and progress.lessons[0].content_complete
    attempt = quiz_services.quiz_attempt_start(user=learner.user, quiz=setup["quiz"])
    attempt = quiz_services.quiz_attempt_submit(
        user=learner.user, attempt=attempt, answers=quiz_builders.right_answers(setup["rows"])
    )
    assert attempt.state == Attempt.State.SUBMITTED and attempt.score == 100 and attempt.passed
    assert Answer.objects.filter(attempt=attempt, correct=True).count() == 5
    progress = selectors.learner_course_progress(user=learner.user, course=setup["course"])
    assert progress.complete and progress.percent == 100


def test_a_failed_quiz_leaves_the_course_incomplete_and_the_grading_method_decides(learner, setup):
    quiz = setup["quiz"]
    quiz.grading_method = "last"
    quiz.save()
    services.lesson_mark_done(user=learner.user, lesson=setup["course"].lessons.get(), how="marked_done")
    rows = setup["rows"]
    first = quiz_services.quiz_attempt_start(user=learner.user, quiz=quiz)
    quiz_services.quiz_attempt_submit(user=learner.user, attempt=first, answers=quiz_builders.right_answers(rows))
    assert selectors.learner_course_progress(user=learner.user, course=setup["course"]).complete
    second = quiz_services.quiz_attempt_start(user=learner.user, quiz=quiz)
    second = quiz_services.quiz_attempt_submit(user=learner.user, attempt=second, answers={rows["single"].pk: 1})
    assert second.score == 0 and second.passed is False
    assert not selectors.learner_course_progress(user=learner.user, course=setup["course"]).complete
    quiz.grading_method = "highest"
    quiz.save()
    assert selectors.learner_course_progress(user=learner.user, course=setup["course"]).complete
    quiz.grading_method = "average"
    quiz.save()
    result = quiz_selectors.quiz_result(user=learner.user, quiz=quiz)
    assert result.grade == 50 and not result.passed


def test_the_attempts_limit_is_kept(learner, setup):
    for _ in range(2):
        attempt = quiz_services.quiz_attempt_start(user=learner.user, quiz=setup["quiz"])
        quiz_services.quiz_attempt_submit(user=learner.user, attempt=attempt, answers={})
    with pytest.raises(QuizError, match="used all 2 attempts"):
        quiz_services.quiz_attempt_start(user=learner.user, quiz=setup["quiz"])
    assert Attempt.objects.count() == 2


def test_partial_credit_for_multiple_choice_with_the_percentages_rule(learner, setup):
    rows = setup["rows"]
    attempt = quiz_services.quiz_attempt_start(user=learner.user, quiz=setup["quiz"])
    attempt = quiz_services.quiz_attempt_submit(user=learner.user, attempt=attempt, answers={rows["multiple"].pk: [0]})
    answer = Answer.objects.get(attempt=attempt, question=rows["multiple"])
    assert answer.score == pytest.approx(0.5) and answer.correct is False
    assert attempt.score == 10


def test_an_answer_for_a_question_not_in_the_attempt_is_refused_and_nothing_written(learner, setup):
    other = quiz_builders.add(quiz_builders.SINGLE, quiz_builders.bank("医保")[0])
    attempt = quiz_services.quiz_attempt_start(user=learner.user, quiz=setup["quiz"])
    with pytest.raises(QuizError, match="not part of this attempt"):
        quiz_services.quiz_answer_save(user=learner.user, attempt=attempt, question_id=other.pk, response=0)
    with pytest.raises(QuizError, match="not part of this attempt"):
        quiz_services.quiz_attempt_submit(
            user=learner.user, attempt=attempt, answers={setup["rows"]["single"].pk: 0, other.pk: 0}
        )
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.IN_PROGRESS and not Answer.objects.exists()


def test_a_response_that_does_not_fit_is_refused(learner, setup):
    attempt = quiz_services.quiz_attempt_start(user=learner.user, quiz=setup["quiz"])
    with pytest.raises(QuizError, match="no option 7"):
        quiz_services.quiz_answer_save(
            user=learner.user, attempt=attempt, question_id=setup["rows"]["single"].pk, response=7
        )
    assert not Answer.objects.exists()


def test_another_persons_attempt_is_not_found(learner, setup, departments):
    other = builders.staff("王芳", departments["office"], number="A002")
    attempt = quiz_services.quiz_attempt_start(user=learner.user, quiz=setup["quiz"])
    question = setup["rows"]["single"].pk
    with pytest.raises(AttemptNotFound):
        quiz_services.quiz_answer_save(user=other.user, attempt=attempt, question_id=question, response=0)
    with pytest.raises(AttemptNotFound):
        quiz_services.quiz_attempt_submit(user=other.user, attempt=attempt, answers={})
    client = client_for(other.user)
    for name in ("training:attempt", "training:attempt_result"):
        assert client.get(reverse(name, args=(attempt.pk,))).status_code == 404
    response = client.post(
        reverse("training:attempt_answer", args=(attempt.pk,)),
        json.dumps({"question": question, "response": 0}),
        content_type="application/json",
    )
    assert response.status_code == 404
    assert client.post(reverse("training:attempt_submit", args=(attempt.pk,)), {}).status_code == 404
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.IN_PROGRESS and not Answer.objects.exists()


def test_after_the_time_limit_answers_are_refused_and_the_attempt_closes_with_what_was_saved(learner, setup):
    quiz = setup["quiz"]
    quiz.time_limit_minutes = 10
    quiz.save()
    rows = setup["rows"]
    attempt = quiz_services.quiz_attempt_start(user=learner.user, quiz=quiz)
    assert attempt.deadline_at is not None
    quiz_services.quiz_answer_save(user=learner.user, attempt=attempt, question_id=rows["single"].pk, response=0)
    Attempt.objects.filter(pk=attempt.pk).update(deadline_at=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(TimeUp):
        quiz_services.quiz_attempt_submit(user=learner.user, attempt=attempt, answers=quiz_builders.right_answers(rows))
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.EXPIRED and attempt.score == 20
    assert Answer.objects.get(attempt=attempt, question=rows["true_false"]).response is None
    with pytest.raises(quiz_services.AttemptFinished):
        quiz_services.quiz_answer_save(user=learner.user, attempt=attempt, question_id=rows["single"].pk, response=1)


def test_a_submission_within_the_grace_counts(learner, setup):
    quiz = setup["quiz"]
    quiz.time_limit_minutes = 10
    quiz.save()
    attempt = quiz_services.quiz_attempt_start(user=learner.user, quiz=quiz)
    Attempt.objects.filter(pk=attempt.pk).update(deadline_at=timezone.now() - datetime.timedelta(seconds=5))
    attempt = quiz_services.quiz_attempt_submit(
        user=learner.user, attempt=attempt, answers=quiz_builders.right_answers(setup["rows"])
    )
    assert attempt.state == Attempt.State.SUBMITTED and attempt.score == 100


def test_an_expired_open_attempt_is_closed_when_the_learner_comes_back(learner, setup):
    quiz = setup["quiz"]
    quiz.time_limit_minutes = 5
    quiz.save()
    attempt = quiz_services.quiz_attempt_start(user=learner.user, quiz=quiz)
    Attempt.objects.filter(pk=attempt.pk).update(deadline_at=timezone.now() - datetime.timedelta(minutes=1))
    response = client_for(learner.user).get(reverse("training:attempt", args=(attempt.pk,)))
    assert response.status_code == 302 and response["Location"] == reverse(
        "training:attempt_result", args=(attempt.pk,)
    )
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.EXPIRED
    fresh = quiz_services.quiz_attempt_start(user=learner.user, quiz=quiz)
    assert fresh.number == 2


def test_a_second_submission_counts_once(learner, setup):
    rows = setup["rows"]
    attempt = quiz_services.quiz_attempt_start(user=learner.user, quiz=setup["quiz"])
    first = quiz_services.quiz_attempt_submit(
        user=learner.user, attempt=attempt, answers=quiz_builders.right_answers(rows)
    )
    second = quiz_services.quiz_attempt_submit(user=learner.user, attempt=attempt, answers={rows["single"].pk: 2})
    assert (second.score, second.submitted_at) == (first.score, first.submitted_at) == (100, first.submitted_at)
    assert Answer.objects.get(attempt=attempt, question=rows["single"]).response == 0


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submissions_count_once(base, departments):
    learner = builders.staff("李明", departments["office"], number="A001")
    category, rows = quiz_builders.bank()
    quiz = quiz_builders.quiz(category, count=5)
    quiz_builders.course_with_quiz(departments, quiz)
    attempt = quiz_services.quiz_attempt_start(user=learner.user, quiz=quiz)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def submit(answers):
        try:
            barrier.wait()
            client = client_for(learner.user)
            response = client.post(
                reverse("training:attempt_submit", args=(attempt.pk,)),
                json.dumps({"answers": answers}),
                content_type="application/json",
                HTTP_ACCEPT="application/json",
            )
            results.append((response.status_code, response.json()))
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    right = {str(k): v for k, v in quiz_builders.right_answers(rows).items()}
    threads = [threading.Thread(target=submit, args=(answers,)) for answers in (right, right)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert [status for status, _ in results] == [200, 200]
    assert {data["score"] for _, data in results} == {"100.00"}
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.SUBMITTED and Attempt.objects.count() == 1
    assert Answer.objects.filter(attempt=attempt).count() == 5


def test_autosave_then_resume_after_a_lost_connection(learner, setup):
    rows = setup["rows"]
    client = client_for(learner.user)
    response = client.post(reverse("training:quiz", args=(setup["quiz"].pk,)))
    attempt = Attempt.objects.get()
    assert response["Location"] == reverse("training:attempt", args=(attempt.pk,))
    url = reverse("training:attempt_answer", args=(attempt.pk,))
    for question, value in [
        (rows["single"].pk, 0),
        (rows["short_answer"].pk, "养老金"),
        (rows["matching"].pk, {"1": "派出所"}),
    ]:
        response = client.post(
            url, json.dumps({"question": question, "response": value}), content_type="application/json"
        )
        assert response.status_code == 200 and response.json() == {"saved": True, "question": question}
    # A new device, a new session: the start button resumes the same attempt with the answers in place.
    other = client_for(learner.user)
    response = other.post(reverse("training:quiz", args=(setup["quiz"].pk,)), follow=True)
    html = response.content.decode()
    assert Attempt.objects.count() == 1
    assert f'name="q-{rows["single"].pk}" value="0" checked' in html
    assert 'value="养老金"' in html
    assert '<option value="派出所" selected>' in html


def test_autosave_errors_are_clear_json(learner, setup):
    client = client_for(learner.user)
    attempt = quiz_services.quiz_attempt_start(user=learner.user, quiz=setup["quiz"])
    url = reverse("training:attempt_answer", args=(attempt.pk,))
    response = client.post(url, "not json", content_type="application/json")
    assert response.status_code == 400 and "JSON" in response.json()["error"]
    response = client.post(url, json.dumps({"question": 999999, "response": 0}), content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]


def test_the_attempt_page_holds_no_answer_key(learner, setup):
    client = client_for(learner.user)
    client.post(reverse("training:quiz", args=(setup["quiz"].pk,)))
    attempt = Attempt.objects.get()
    html = client.get(reverse("training:attempt", args=(attempt.pk,))).content.decode()
    for question in setup["rows"].values():
        assert question.text in html
    assert "correct" not in html.lower() and "weight" not in html
    assert "养老金" not in html and "养老保险金" not in html
    assert "对，人社窗口可以补办" not in html and "补办社保卡要带身份证" not in html
    assert "可以，在国家医保服务平台申领" not in html
    assert " style=" not in html and "<script>" not in html
    # The answer view's JSON holds nothing more than "saved".
    response = client.post(
        reverse("training:attempt_answer", args=(attempt.pk,)),
        json.dumps({"question": setup["rows"]["short_answer"].pk, "response": "不知道"}),
        content_type="application/json",
    )
    assert set(response.json()) == {"saved", "question"}


def test_options_are_shuffled_per_attempt_and_the_form_submits_without_javascript(learner, setup):
    rows = setup["rows"]
    client = client_for(learner.user)
    client.post(reverse("training:quiz", args=(setup["quiz"].pk,)))
    attempt = Attempt.objects.get()
    orders = {row["id"]: row["order"] for row in attempt.questions}
    assert sorted(orders[rows["single"].pk]) == [0, 1, 2]
    form = {
        f"q-{rows['single'].pk}": "0",
        f"q-{rows['multiple'].pk}": ["0", "1"],
        f"q-{rows['true_false'].pk}": "true",
        f"q-{rows['short_answer'].pk}": "ＹＡＮＧ老金",
        f"q-{rows['matching'].pk}-0": "人社窗口",
        f"q-{rows['matching'].pk}-1": "派出所",
    }
    response = client.post(reverse("training:attempt_submit", args=(attempt.pk,)), form)
    assert response["Location"] == reverse("training:attempt_result", args=(attempt.pk,))
    attempt.refresh_from_db()
    assert attempt.score == 80 and attempt.passed
    html = client.get(response["Location"]).content.decode()
    assert "80%" in html and "对，人社窗口可以补办" in html and "补办社保卡要带身份证" in html
    assert "养老保险金" in html  # the right answer is shown after submission
    # Resent form: counts once.
    client.post(reverse("training:attempt_submit", args=(attempt.pk,)), form)
    assert Attempt.objects.get().score == 80


def test_a_quiz_of_someone_elses_course_is_not_found(learner, departments):
    category, _ = quiz_builders.bank()
    quiz = quiz_builders.quiz(category)
    course = builders.course("河西课程", departments=[departments["other"]], live=False)
    course.final_quiz = quiz
    course.save()
    course.save_revision(user=None).publish()
    client = client_for(learner.user)
    assert client.get(reverse("training:quiz", args=(quiz.pk,))).status_code == 404
    assert client.post(reverse("training:quiz", args=(quiz.pk,))).status_code == 404
    assert not Attempt.objects.exists()


def test_a_final_quiz_counts_as_an_item_of_the_course(learner, departments):
    category, rows = quiz_builders.bank()
    quiz = quiz_builders.quiz(category)
    course = quiz_builders.course_with_quiz(departments, quiz, final=True)
    services.lesson_mark_done(user=learner.user, lesson=course.lessons.get(), how="marked_done")
    progress = selectors.learner_course_progress(user=learner.user, course=course)
    assert (progress.done, progress.total, progress.complete) == (1, 2, False)
    html = client_for(learner.user).get(reverse("training:quiz", args=(quiz.pk,))).content.decode()
    assert "data-start-quiz" in html
    attempt = quiz_services.quiz_attempt_start(user=learner.user, quiz=quiz)
    quiz_services.quiz_attempt_submit(user=learner.user, attempt=attempt, answers=quiz_builders.right_answers(rows))
    assert selectors.learner_course_progress(user=learner.user, course=course).complete


def test_the_quiz_pages_are_in_chinese_then_english(learner, setup):
    client = client_for(learner.user)
    with translation.override("zh-hans"):
        html = client.get(reverse("training:quiz", args=(setup["quiz"].pk,))).content.decode()
        assert "开始测验" in html and "及格线：60%" in html
        client.post(reverse("training:quiz", args=(setup["quiz"].pk,)))
        attempt = Attempt.objects.get()
        html = client.get(reverse("training:attempt", args=(attempt.pk,))).content.decode()
        assert "交卷" in html and "每答一题都会自动保存" in html
    client.cookies["django_language"] = "en"
    html = client.get(reverse("training:attempt", args=(attempt.pk,))).content.decode()
    assert "Submit answers" in html


def test_autosave_after_the_deadline_is_refused_and_closes_the_attempt(learner, setup):
    quiz = setup["quiz"]
    quiz.time_limit_minutes = 1
    quiz.save()
    attempt = quiz_services.quiz_attempt_start(user=learner.user, quiz=quiz)
    Attempt.objects.filter(pk=attempt.pk).update(deadline_at=timezone.now() - datetime.timedelta(minutes=1))
    response = client_for(learner.user).post(
        reverse("training:attempt_answer", args=(attempt.pk,)),
        json.dumps({"question": setup["rows"]["single"].pk, "response": 0}),
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["result_url"] == reverse("training:attempt_result", args=(attempt.pk,))
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.EXPIRED and attempt.score == 0
    assert not Answer.objects.filter(attempt=attempt, response__isnull=False).exists()


def test_a_submission_after_autosave_reads_the_attempt_once_and_writes_only_changed_answers(
    learner, setup, django_assert_max_num_queries
):
    rows = setup["rows"]
    services.lesson_mark_done(user=learner.user, lesson=setup["course"].lessons.get(), how="marked_done")
    attempt = quiz_services.quiz_attempt_start(user=learner.user, quiz=setup["quiz"])
    answers = quiz_builders.right_answers(rows)
    for question_id, response in answers.items():
        quiz_services.quiz_answer_save(user=learner.user, attempt=attempt, question_id=question_id, response=response)
    saved_at = dict(Answer.objects.filter(attempt=attempt).values_list("question_id", "updated_at"))
    sent = {str(pk): response for pk, response in answers.items()} | {str(rows["single"].pk): 1}
    # Submission and the certificate it earns, with the course status refresh; not a query per question.
    with django_assert_max_num_queries(QUERIES_PER_SUBMISSION):
        submitted = quiz_services.quiz_attempt_submit(user=learner.user, attempt=attempt.pk, answers=sent)
    assert submitted.state == Attempt.State.SUBMITTED and submitted.score == 80 and submitted.passed
    stored = {row.question_id: row for row in Answer.objects.filter(attempt=attempt)}
    assert stored[rows["single"].pk].response == 1 and stored[rows["single"].pk].correct is False
    assert stored[rows["single"].pk].updated_at > saved_at[rows["single"].pk]
    unchanged = [pk for pk in answers if pk != rows["single"].pk]
    assert all(stored[pk].updated_at == saved_at[pk] for pk in unchanged)
    assert all(stored[pk].correct for pk in unchanged)


def test_the_expire_command_closes_abandoned_attempts_with_what_was_saved(learner, setup):
    from io import StringIO

    from django.core.management import call_command

    quiz = setup["quiz"]
    quiz.time_limit_minutes = 5
    quiz.save()
    rows = setup["rows"]
    abandoned = quiz_services.quiz_attempt_start(user=learner.user, quiz=quiz)
    quiz_services.quiz_answer_save(user=learner.user, attempt=abandoned, question_id=rows["single"].pk, response=0)
    Attempt.objects.filter(pk=abandoned.pk).update(deadline_at=timezone.now() - datetime.timedelta(minutes=1))
    out = StringIO()
    call_command("quiz_attempts_expire", stdout=out)
    assert "1 attempts closed." in out.getvalue()
    abandoned.refresh_from_db()
    assert abandoned.state == Attempt.State.EXPIRED and abandoned.score == 20
    # Idempotent: a second run finds nothing more.
    out = StringIO()
    call_command("quiz_attempts_expire", stdout=out)
    assert "0 attempts closed." in out.getvalue()
