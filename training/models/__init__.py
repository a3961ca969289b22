"""Training models: people and departments (people.py); courses, lessons and progress (courses.py); question banks,
quizzes and attempts go in a quizzes.py beside them (their scoring rules live in training.quiz)."""

from .certificates import Certificate
from .courses import Course, DeadlineOverride, Lesson, LessonProgress
from .people import Department, StaffProfile
from .quiz import Answer, Attempt, Question, QuestionCategory, QuestionTag, Quiz, QuizDraw
from .reminders import Reminder
from .status import CourseStatus

__all__ = [
    "Answer",
    "Certificate",
    "Attempt",
    "Question",
    "QuestionCategory",
    "QuestionTag",
    "Quiz",
    "QuizDraw",
    "Course",
    "CourseStatus",
    "DeadlineOverride",
    "Department",
    "Lesson",
    "LessonProgress",
    "StaffProfile",
    "Reminder",
]
