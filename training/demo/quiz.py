"""The demo question bank (a GIFT file beside training.json) and the demo course's final quiz."""

from __future__ import annotations

from pathlib import Path

from training.models import QuestionCategory, Quiz, QuizDraw
from training.quiz_services import bank_import


def seed_question_banks(*, entries: list[dict], folder: Path) -> int:
    """Import each bank into its category unless that category already exists. Idempotent; returns questions added."""
    added = 0
    for entry in entries:
        if QuestionCategory.objects.filter(name=entry["category"]).exists():
            continue
        data = (folder / entry["file"]).read_bytes()
        result = bank_import(data=data, filename=entry["file"], category=entry["category"])
        if not result.ok:
            raise ValueError(f"{entry['file']}: {result.errors}")
        added += len(result.created)
    return added


def demo_quiz(spec: dict) -> Quiz:
    quiz, created = Quiz.objects.get_or_create(
        title=spec["title"],
        defaults={
            "pass_mark": spec.get("pass_mark", 60),
            "attempts_limit": spec.get("attempts_limit", 0),
            "time_limit_minutes": spec.get("time_limit_minutes"),
            "grading_method": spec.get("grading_method", Quiz.GradingMethod.HIGHEST),
        },
    )
    if created:
        category = QuestionCategory.objects.get(name=spec["category"])
        QuizDraw.objects.create(quiz=quiz, category=category, count=spec["count"], sort_order=0)
    return quiz
