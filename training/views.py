"""The learner's pages on the public site: sign in, my learning, a course, a lesson, and progress reports."""

from __future__ import annotations

import json

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import certificate_selectors, selectors, services, updates
from .models import LessonProgress

LOGIN_URL = reverse_lazy("training:login")


class LearnerLoginView(auth_views.LoginView):
    """Django's LoginView: its form authenticates with the request, so django-axes counts and throttles it."""

    template_name = "training/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return reverse("training:my_learning")


class LearnerLogoutView(auth_views.LogoutView):
    next_page = LOGIN_URL


learner_required = login_required(login_url=LOGIN_URL)


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@learner_required
def my_learning(request: HttpRequest) -> HttpResponse:
    context = {
        "profile": selectors.learner_profile(user=request.user),
        "courses": selectors.learner_learning(user=request.user),
        "continue_lesson": selectors.learner_continue(user=request.user),
        "updated_courses": updates.learner_updated_course_ids(user=request.user),
        "certificates": certificate_selectors.certificates_for_learner(user=request.user),
    }
    return render(request, "training/my_learning.html", context)


@learner_required
def course_detail(request: HttpRequest, course_id: int) -> HttpResponse:
    course = selectors.learner_course(user=request.user, course_id=course_id)
    if course is None:
        raise Http404
    progress = selectors.learner_course_progress(user=request.user, course=course)
    updated = updates.learner_updates(user=request.user, lesson_ids=[state.lesson.pk for state in progress.lessons])
    context = {
        "course": course,
        "progress": progress,
        "updated_ids": set(updated),
        "certificate": certificate_selectors.certificates_for_learner(user=request.user).filter(course=course).first(),
    }
    return render(request, "training/course.html", context)


@learner_required
def lesson_detail(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = selectors.learner_lesson(user=request.user, lesson_id=lesson_id)
    if lesson is None:
        raise Http404
    progress = services.lesson_open(user=request.user, lesson=lesson)
    course_progress = selectors.learner_course_progress(user=request.user, course=lesson.course)
    states = course_progress.lessons
    index = next(i for i, state in enumerate(states) if state.lesson.pk == lesson.pk)
    context = {
        "lesson": lesson,
        "progress": progress,
        "course_progress": course_progress,
        "number": index + 1,
        "watched_percent": states[index].watched_percent,
        "next_lesson": states[index + 1].lesson if index + 1 < len(states) else None,
        "tutorial": lesson.tutorial if lesson.tutorial and lesson.tutorial.live else None,
        "update": updates.learner_updates(user=request.user, lesson_ids=[lesson.pk]).get(lesson.pk),
    }
    return render(request, "training/lesson.html", context)


def _progress_payload(*, user, progress: LessonProgress) -> dict:
    course_progress = selectors.learner_course_progress(user=user, course=progress.lesson.course)
    return {
        "complete": progress.complete,
        "watched_seconds": round(progress.watched_seconds, 1),
        "course_done": course_progress.done,
        "course_total": course_progress.total,
        "course_percent": course_progress.percent,
        "course_count": course_progress.count_label,
        "course_complete": course_progress.complete,
    }


@require_POST
@learner_required
def lesson_done(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = selectors.learner_lesson(user=request.user, lesson_id=lesson_id)
    if lesson is None:
        raise Http404
    how = request.POST.get("how", LessonProgress.CompletedBy.MARKED_DONE)
    try:
        progress = services.lesson_mark_done(user=request.user, lesson=lesson, how=how)
    except services.ProgressError as error:
        if _wants_json(request):
            return JsonResponse({"error": str(error)}, status=400)
        return render(request, "training/error.html", {"message": str(error)}, status=400)
    if _wants_json(request):
        return JsonResponse(_progress_payload(user=request.user, progress=progress))
    return redirect("training:lesson", lesson_id=lesson.pk)


@require_POST
@learner_required
def lesson_watched(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = selectors.learner_lesson(user=request.user, lesson_id=lesson_id)
    if lesson is None:
        raise Http404
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"error": _("The report is not JSON.")}, status=400)
    if not isinstance(data, dict):
        return JsonResponse({"error": _("The report is not a JSON object.")}, status=400)
    position = data.get("position")
    if not isinstance(position, int | float) or isinstance(position, bool):
        position = None
    try:
        progress = services.lesson_record_watched(
            user=request.user, lesson=lesson, ranges=data.get("ranges"), position=position
        )
    except services.ProgressError as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse(_progress_payload(user=request.user, progress=progress))


@require_POST
@learner_required
def lesson_reread(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = selectors.learner_lesson(user=request.user, lesson_id=lesson_id)
    if lesson is None:
        raise Http404
    try:
        services.lesson_reread(user=request.user, lesson=lesson)
    except services.ProgressError as error:
        return render(request, "training/error.html", {"message": str(error)}, status=400)
    return redirect("training:lesson", lesson_id=lesson.pk)
