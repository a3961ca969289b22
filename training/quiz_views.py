"""The learner's quiz pages: start or resume, the attempt (autosaved), submission and the result.

Before submission nothing sent to the browser holds an answer key: the page and the JSON carry the options' text and
their stored positions only. Someone else's attempt is "not found".
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import quiz_selectors, quiz_services
from .models import Attempt, Course, Lesson
from .quiz_services import AttemptNotFound, QuizError, TimeUp
from .views import learner_required


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "") or request.content_type == "application/json"


def _context_of(quiz) -> dict[str, Any]:
    """Where the quiz sits: the lesson it follows or the course it closes (for links back)."""
    lesson = Lesson.objects.filter(quiz=quiz, course__live=True).select_related("course").first()
    if lesson is not None:
        return {"lesson": lesson, "course": lesson.course}
    return {"lesson": None, "course": Course.objects.filter(final_quiz=quiz, live=True).first()}


def _error(request: HttpRequest, message: str, *, status: int) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"error": message}, status=status)
    return render(request, "training/error.html", {"message": message}, status=status)


@require_http_methods(["GET", "POST"])
@learner_required
def quiz_start(request: HttpRequest, quiz_id: int) -> HttpResponse:
    quiz = quiz_selectors.learner_quiz(user=request.user, quiz_id=quiz_id)
    if quiz is None:
        raise Http404
    if request.method == "POST":
        try:
            attempt = quiz_services.quiz_attempt_start(user=request.user, quiz=quiz)
        except QuizError as error:
            return _error(request, str(error), status=409)
        return redirect("training:attempt", attempt_id=attempt.pk)
    result = quiz_selectors.quiz_result(user=request.user, quiz=quiz)
    context = {"quiz": quiz, "result": result, **_context_of(quiz)}
    return render(request, "training/quiz.html", context)


def _own_attempt(request: HttpRequest, attempt_id: int) -> Attempt:
    attempt = quiz_selectors.learner_attempt(user=request.user, attempt_id=attempt_id)
    if attempt is None:
        raise Http404
    return attempt


@learner_required
def attempt_page(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _own_attempt(request, attempt_id)
    if not attempt.finished and quiz_services.attempts_expire(attempt_ids=[attempt.pk]):
        messages.warning(request, _("The time limit has passed: the attempt was closed with the answers saved."))
        attempt.refresh_from_db()
    if attempt.finished:
        return redirect("training:attempt_result", attempt_id=attempt.pk)
    remaining = None
    if attempt.deadline_at is not None:
        remaining = max(0, int((attempt.deadline_at - timezone.now()).total_seconds()))
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "questions": quiz_selectors.attempt_questions(attempt=attempt),
        "remaining": remaining,
        **_context_of(attempt.quiz),
    }
    return render(request, "training/attempt.html", context)


def _json_body(request: HttpRequest) -> dict:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError) as error:
        raise QuizError(_("The request is not JSON.")) from error
    if not isinstance(data, dict):
        raise QuizError(_("The request is not a JSON object."))
    return data


@require_POST
@learner_required
def attempt_answer(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """Autosave one answer: ``{"question": <id>, "response": <value>}`` → ``{"saved": true, "question": <id>}``."""
    try:
        data = _json_body(request)
        answer = quiz_services.quiz_answer_save(
            user=request.user, attempt=attempt_id, question_id=data.get("question"), response=data.get("response")
        )
    except AttemptNotFound as error:
        return JsonResponse({"error": str(error)}, status=404)
    except TimeUp as error:
        return JsonResponse(
            {"error": str(error), "result_url": reverse("training:attempt_result", args=[attempt_id])}, status=409
        )
    except QuizError as error:
        return JsonResponse(
            {"error": str(error)}, status=400 if not isinstance(error, quiz_services.AttemptFinished) else 409
        )
    return JsonResponse({"saved": True, "question": answer.question_id})


def _form_answers(request: HttpRequest, attempt: Attempt) -> dict[int, Any]:
    """The answers of the page's form (the same fields with or without JavaScript)."""
    answers: dict[int, Any] = {}
    for row in quiz_selectors.attempt_questions(attempt=attempt):
        name = f"q-{row.question.pk}"
        kind = row.view["type"]
        if kind == "single":
            value = request.POST.get(name, "")
            answers[row.question.pk] = int(value) if value.isdigit() else (value or None)
        elif kind == "multiple":
            values = request.POST.getlist(name)
            answers[row.question.pk] = [int(v) if v.isdigit() else v for v in values] or None
        elif kind == "true_false":
            value = request.POST.get(name, "")
            answers[row.question.pk] = {"true": True, "false": False}.get(value, value or None)
        elif kind == "short_answer":
            answers[row.question.pk] = request.POST.get(name, "").strip() or None
        elif kind == "matching":
            pairs = {str(p["value"]): request.POST.get(f"{name}-{p['value']}", "") or None for p in row.view["prompts"]}
            answers[row.question.pk] = pairs if any(pairs.values()) else None
    return answers


@require_POST
@learner_required
def attempt_submit(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """Submit: the form's fields, or JSON ``{"answers": {"<question id>": <response>, ...}}``. Idempotent."""
    attempt = _own_attempt(request, attempt_id)
    result_url = reverse("training:attempt_result", args=[attempt.pk])
    try:
        if request.content_type == "application/json":
            answers = _json_body(request).get("answers") or {}
            if not isinstance(answers, dict):
                raise QuizError(_("The answers are not a JSON object."))
        else:
            answers = {} if attempt.finished else _form_answers(request, attempt)
        attempt = quiz_services.quiz_attempt_submit(user=request.user, attempt=attempt.pk, answers=answers)
    except AttemptNotFound as error:
        return _error(request, str(error), status=404)
    except TimeUp as error:
        if _wants_json(request):
            return JsonResponse({"error": str(error), "result_url": result_url}, status=409)
        messages.warning(request, str(error))
        return redirect(result_url)
    except QuizError as error:
        return _error(request, str(error), status=400)
    if _wants_json(request):
        return JsonResponse(
            {
                "attempt": attempt.pk,
                "state": attempt.state,
                "score": str(attempt.score),
                "passed": attempt.passed,
                "result_url": result_url,
            }
        )
    return redirect(result_url)


@learner_required
def attempt_result(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _own_attempt(request, attempt_id)
    if not attempt.finished:
        return redirect("training:attempt", attempt_id=attempt.pk)
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "review": quiz_selectors.attempt_review(attempt=attempt),
        "result": quiz_selectors.quiz_result(user=request.user, quiz=attempt.quiz),
        **_context_of(attempt.quiz),
    }
    return render(request, "training/attempt_result.html", context)
