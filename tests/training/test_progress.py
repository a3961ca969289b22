import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.training import builders
from training import services
from training.models import LessonProgress


@pytest.fixture
def video_course(departments):
    video = factories.make_video(duration=100.0, subtitles="none")
    learner = builders.staff("李明", departments["office"])
    course = builders.course(
        "视频课程",
        departments=[departments["county"]],
        lessons=[{"title": "看视频", "video": video}, {"title": "读一读", "body": "<p>读完</p>"}],
    )
    video_lesson, text_lesson = course.lessons.order_by("sort_order")
    client = Client()
    client.force_login(learner.user)
    for lesson in (video_lesson, text_lesson):
        services.lesson_open(user=learner.user, lesson=lesson)
    return {"learner": learner, "video": video_lesson, "text": text_lesson, "client": client, "course": course}


def rewind(lesson, *, seconds: float = 3600) -> None:
    """As if the learner's last report (or opening the lesson) was ``seconds`` ago."""
    LessonProgress.objects.filter(lesson=lesson).update(updated_at=timezone.now() - datetime.timedelta(seconds=seconds))


def watched(client, lesson, ranges, *, elapsed: float = 3600, **extra):
    rewind(lesson, seconds=elapsed)
    return client.post(
        reverse("training:lesson_watched", args=(lesson.pk,)),
        data=json.dumps({"ranges": ranges, **extra}),
        content_type="application/json",
    )


def test_watching_95_percent_completes_a_video_lesson(video_course):
    c, lesson = video_course["client"], video_course["video"]
    response = watched(c, lesson, [[0, 50]], position=50)
    assert response.status_code == 200
    assert response.json()["complete"] is False and response.json()["watched_seconds"] == 50
    response = watched(c, lesson, [[0, 50], [50, 94.9]])
    assert response.json()["complete"] is False
    response = watched(c, lesson, [[94, 95.5]])
    assert response.json()["complete"] is True
    progress = LessonProgress.objects.get(user=video_course["learner"].user, lesson=lesson)
    assert progress.completed_by == LessonProgress.CompletedBy.WATCHED
    assert progress.watched_ranges == [[0, 95.5]]
    assert progress.position == 50


def test_jumping_to_the_end_does_not_count(video_course):
    c, lesson = video_course["client"], video_course["video"]
    watched(c, lesson, [[0, 3]])
    response = watched(c, lesson, [[97, 100]], position=100)
    assert response.json()["complete"] is False
    assert response.json()["watched_seconds"] == 6
    # the same stretch again adds nothing
    response = watched(c, lesson, [[0, 3], [97, 100], [97, 100]])
    assert response.json()["watched_seconds"] == 6


def test_ranges_past_the_end_of_the_video_are_cut_at_its_length(video_course):
    c, lesson = video_course["client"], video_course["video"]
    response = watched(c, lesson, [[90, 5000]])
    assert response.json()["watched_seconds"] == 10


@pytest.mark.parametrize("body", ["not json", json.dumps([1, 2]), json.dumps({"ranges": "0-100"})])
def test_a_malformed_report_gets_a_clear_400(video_course, body):
    response = video_course["client"].post(
        reverse("training:lesson_watched", args=(video_course["video"].pk,)), data=body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]
    assert not LessonProgress.objects.filter(watched_seconds__gt=0).exists()


def test_a_video_lesson_cannot_be_marked_done_nor_a_text_lesson_watched(video_course):
    c = video_course["client"]
    response = c.post(
        reverse("training:lesson_done", args=(video_course["video"].pk,)),
        {"how": "marked_done"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert watched(c, video_course["text"], [[0, 10]]).status_code == 400
    assert not LessonProgress.objects.filter(status=LessonProgress.Status.COMPLETE).exists()


def test_more_than_could_have_been_played_since_the_last_report_is_refused(video_course):
    c, lesson = video_course["client"], video_course["video"]
    response = watched(c, lesson, [[0, 100]], elapsed=5)
    assert response.status_code == 400 and "could have been played" in response.json()["error"]
    assert LessonProgress.objects.get(lesson=lesson).watched_seconds == 0
    # 20 s after opening, at most 2.5 x 20 + 10 s more can count; played at normal speed, 20 s do
    assert watched(c, lesson, [[0, 20]], elapsed=20).status_code == 200
    assert watched(c, lesson, [[0, 20], [20, 81]], elapsed=20).status_code == 400
    assert watched(c, lesson, [[0, 20], [20, 40]], elapsed=20).json()["watched_seconds"] == 40


def test_marking_a_text_lesson_done_is_idempotent_and_completes_the_course(video_course):
    c, text = video_course["client"], video_course["text"]
    url = reverse("training:lesson_done", args=(text.pk,))
    first = c.post(url, {"how": "marked_done"}, HTTP_ACCEPT="application/json").json()
    assert first["complete"] and first["course_done"] == 1 and first["course_total"] == 2
    assert first["course_count"] == "2 课中已完成 1 课"
    assert not first["course_complete"]
    completed_at = LessonProgress.objects.get(lesson=text).completed_at
    c.post(url, {"how": "read_to_end"}, HTTP_ACCEPT="application/json")
    row = LessonProgress.objects.get(lesson=text)
    assert row.completed_at == completed_at and row.completed_by == "marked_done"
    result = watched(c, video_course["video"], [[0, 100]]).json()
    assert result["course_complete"] is True and result["course_percent"] == 100


def test_mark_done_without_javascript_redirects_back_to_the_lesson(video_course):
    text = video_course["text"]
    response = video_course["client"].post(reverse("training:lesson_done", args=(text.pk,)), {"how": "marked_done"})
    assert response.status_code == 302
    assert response["Location"] == reverse("training:lesson", args=(text.pk,))


def test_an_unknown_way_of_finishing_is_refused(video_course):
    response = video_course["client"].post(
        reverse("training:lesson_done", args=(video_course["text"].pk,)), {"how": "skipped"}
    )
    assert response.status_code == 400
    assert not LessonProgress.objects.filter(status="complete").exists()


def test_progress_endpoints_need_the_csrf_token(video_course):
    client = Client(enforce_csrf_checks=True)
    client.force_login(video_course["learner"].user)
    response = client.post(reverse("training:lesson_done", args=(video_course["text"].pk,)), {"how": "marked_done"})
    assert response.status_code == 403
    assert watched(client, video_course["video"], [[0, 100]]).status_code == 403
    assert not LessonProgress.objects.filter(status=LessonProgress.Status.COMPLETE).exists()
    assert not LessonProgress.objects.filter(watched_seconds__gt=0).exists()


def test_lessons_of_courses_not_assigned_to_the_learner_are_not_found(video_course, departments):
    stranger = builders.staff("陈红", departments["other"])
    client = Client()
    client.force_login(stranger.user)
    text = video_course["text"]
    assert client.get(reverse("training:lesson", args=(text.pk,))).status_code == 404
    assert client.post(reverse("training:lesson_done", args=(text.pk,)), {"how": "marked_done"}).status_code == 404
    assert watched(client, video_course["video"], [[0, 100]]).status_code == 404
    assert client.get(reverse("training:course", args=(video_course["course"].pk,))).status_code == 404
    assert not LessonProgress.objects.filter(user=stranger.user).exists()


def test_lessons_of_a_course_awaiting_review_are_not_found(departments):
    learner = builders.staff("李明", departments["office"])
    draft = builders.course("未审核", departments=[departments["county"]], live=False)
    client = Client()
    client.force_login(learner.user)
    assert client.get(reverse("training:lesson", args=(draft.lessons.get().pk,))).status_code == 404


def test_anonymous_visitors_are_sent_to_the_learner_sign_in(video_course):
    response = Client().get(reverse("training:lesson", args=(video_course["text"].pk,)))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("training:login"))
    response = Client().post(reverse("training:lesson_done", args=(video_course["text"].pk,)))
    assert response.status_code == 302


def test_an_unprocessed_video_cannot_be_completed(departments):
    video = factories.make_video(duration=0, subtitles="none", status="pending")
    learner = builders.staff("李明", departments["office"])
    course = builders.course("视频", departments=[departments["county"]], lessons=[{"title": "v", "video": video}])
    with pytest.raises(services.ProgressError):
        services.lesson_record_watched(user=learner.user, lesson=course.lessons.get(), ranges=[[0, 1]])
