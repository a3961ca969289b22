"""Question banks and quizzes for tests: a bank of every question type, a quiz drawing from it on a lesson."""

from __future__ import annotations

from decimal import Decimal

from tests.training import builders
from training.models import Question, QuestionCategory, Quiz, QuizDraw
from training.quiz import Choice, Matching, MultipleChoice, Pair, ShortAnswer, SingleChoice, TrueFalse
from training.quiz_services import question_values

SINGLE = SingleChoice(
    text="社保卡补办去哪里？",
    choices=(
        Choice(text="人社窗口", weight=Decimal(100), feedback="对，人社窗口可以补办。"),
        Choice(text="派出所", feedback="派出所办身份证。"),
        Choice(text="银行柜台"),
    ),
    feedback="补办社保卡要带身份证。",
)
MULTIPLE = MultipleChoice(
    text="办理医保转移需要哪些材料？",
    choices=(
        Choice(text="身份证", weight=Decimal(50)),
        Choice(text="参保凭证", weight=Decimal(50)),
        Choice(text="户口本", weight=Decimal(-100)),
    ),
)
TRUE_FALSE = TrueFalse(
    text="医保电子凭证可以在手机上申领。", answer=True, wrong_feedback="可以，在国家医保服务平台申领。"
)
SHORT = ShortAnswer(
    text="养老保险的简称是什么？",
    answers=(Choice(text="养老保险金", weight=Decimal(100)), Choice(text="养老金", weight=Decimal(100))),
)
MATCHING = Matching(
    text="把业务和办理地点连起来。",
    pairs=(
        Pair(prompt="社保卡", answer="人社窗口"),
        Pair(prompt="身份证", answer="派出所"),
        Pair(prompt="", answer="税务局"),
    ),
)
ALL = (SINGLE, MULTIPLE, TRUE_FALSE, SHORT, MATCHING)


def add(question, category: QuestionCategory, *, tags=()) -> Question:
    row = Question.objects.create(category=category, **question_values(question))
    if tags:
        row.tags.set(list(tags))
    return row


def bank(name: str = "社保") -> tuple[QuestionCategory, dict[str, Question]]:
    category, _ = QuestionCategory.objects.get_or_create(name=name)
    rows = {question.kind.value: add(question, category) for question in ALL}
    return category, rows


def quiz(category: QuestionCategory, *, count: int = 5, **fields) -> Quiz:
    made = Quiz.objects.create(title=fields.pop("title", "社保小测验"), **fields)
    QuizDraw.objects.create(quiz=made, category=category, count=count, sort_order=0)
    return made


def course_with_quiz(departments, quiz: Quiz, *, final: bool = False, title: str = "社保业务入门"):
    lesson = {"title": "第一课", "body": "<p>正文</p>"}
    if not final:
        lesson["quiz"] = quiz
    course = builders.course(title, departments=[departments["county"]], lessons=[lesson], live=False)
    if final:
        course.final_quiz = quiz
    course.save()
    revision = course.save_revision(user=None)
    revision.publish()
    course.refresh_from_db()
    return course


def right_answers(rows: dict[str, Question]) -> dict[int, object]:
    """Full-marks responses, keyed by question id, as the browser would send them."""
    return {
        rows["single"].pk: 0,
        rows["multiple"].pk: [0, 1],
        rows["true_false"].pk: True,
        rows["short_answer"].pk: " 养老 金 ",
        rows["matching"].pk: {"0": "人社窗口", "1": "派出所"},
    }


def right_answer(question: Question):
    """A full-marks response to any question, as the browser would send it."""
    from training.quiz_services import pure_question

    pure = pure_question(question)
    match pure:
        case SingleChoice():
            return next(i for i, choice in enumerate(pure.choices) if choice.weight == 100)
        case MultipleChoice():
            return [i for i, choice in enumerate(pure.choices) if choice.weight > 0]
        case TrueFalse():
            return pure.answer
        case ShortAnswer():
            return next(answer.text for answer in pure.answers if answer.weight == 100)
        case Matching():
            wanted = {pair.prompt: pair.answer for pair in pure.pairs if pair.prompt}
            return {str(i): wanted[prompt] for i, prompt in enumerate(pure.prompts)}
    raise TypeError(pure)


def right_answers_for(attempt) -> dict[int, object]:
    questions = {q.pk: q for q in Question.objects.filter(pk__in=attempt.question_ids)}
    return {pk: right_answer(questions[pk]) for pk in attempt.question_ids}
