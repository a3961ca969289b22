"""Training models: people and departments (people.py); courses, lessons and progress (courses.py); question banks,
quizzes and attempts go in a quizzes.py beside them (their scoring rules live in training.quiz)."""

from .courses import Course, DeadlineOverride, Lesson, LessonProgress
from .people import Department, StaffProfile

__all__ = ["Course", "DeadlineOverride", "Department", "Lesson", "LessonProgress", "StaffProfile"]
