"""A question as JSON-ready data (what a database row keeps) and back, and the learner's view of it.

``question_data`` gives the type-specific part only: text, title, category, tags and general feedback are columns of
their own. ``learner_view`` is what the browser may see during an attempt: the options in the attempt's order, and
never a weight, a per-option feedback, an accepted short answer or a matching key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from training.quiz.types import (
    Choice,
    Matching,
    MultipleChoice,
    Pair,
    Question,
    QuestionType,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)

_CLASSES = {
    QuestionType.SINGLE: SingleChoice,
    QuestionType.MULTIPLE: MultipleChoice,
    QuestionType.TRUE_FALSE: TrueFalse,
    QuestionType.SHORT_ANSWER: ShortAnswer,
    QuestionType.MATCHING: Matching,
}


def _choice_data(choice: Choice) -> dict[str, str]:
    return {"text": choice.text, "weight": str(choice.weight), "feedback": choice.feedback}


def _choice(row: Mapping[str, Any]) -> Choice:
    return Choice(text=str(row["text"]), weight=Decimal(str(row.get("weight", 0))), feedback=row.get("feedback", ""))


def question_data(question: Question) -> dict[str, Any]:
    match question:
        case SingleChoice() | MultipleChoice():
            return {"choices": [_choice_data(choice) for choice in question.choices]}
        case TrueFalse():
            return {
                "answer": question.answer,
                "right_feedback": question.right_feedback,
                "wrong_feedback": question.wrong_feedback,
            }
        case ShortAnswer():
            return {"answers": [_choice_data(answer) for answer in question.answers]}
        case Matching():
            return {"pairs": [{"prompt": pair.prompt, "answer": pair.answer} for pair in question.pairs]}
    raise TypeError(question)  # pragma: no cover


def question_from_data(
    kind: str,
    data: Mapping[str, Any],
    *,
    text: str,
    title: str = "",
    category: str = "",
    tags: Sequence[str] = (),
    feedback: str = "",
) -> Question:
    """Raises ``InvalidQuestion`` for data that breaks its type's rules, ``ValueError``/``KeyError`` for bad shapes."""
    common = {"text": text, "title": title, "category": category, "tags": tuple(tags), "feedback": feedback}
    match QuestionType(kind):
        case QuestionType.SINGLE | QuestionType.MULTIPLE:
            return _CLASSES[QuestionType(kind)](choices=tuple(map(_choice, data.get("choices", ()))), **common)
        case QuestionType.TRUE_FALSE:
            return TrueFalse(
                answer=bool(data.get("answer", True)),
                right_feedback=data.get("right_feedback", ""),
                wrong_feedback=data.get("wrong_feedback", ""),
                **common,
            )
        case QuestionType.SHORT_ANSWER:
            return ShortAnswer(answers=tuple(map(_choice, data.get("answers", ()))), **common)
        case QuestionType.MATCHING:
            pairs = tuple(Pair(prompt=str(row["prompt"]), answer=str(row["answer"])) for row in data.get("pairs", ()))
            return Matching(pairs=pairs, **common)
    raise ValueError(kind)  # pragma: no cover


def learner_view(question: Question, order: Sequence[int]) -> dict[str, Any]:
    """What the learner's page shows: options as ``{"value": stored position, "text": ...}`` in ``order``."""
    view: dict[str, Any] = {"type": question.kind.value, "text": question.text}
    match question:
        case SingleChoice() | MultipleChoice():
            positions = list(order) or list(range(len(question.choices)))
            view["options"] = [{"value": index, "text": question.choices[index].text} for index in positions]
        case Matching():
            answers = question.answers
            positions = list(order) or list(range(len(answers)))
            view["prompts"] = [{"value": index, "text": prompt} for index, prompt in enumerate(question.prompts)]
            view["answers"] = [answers[index] for index in positions]
    return view


def response_from_json(question: Question, value: Any) -> Any:
    """A response as sent by the browser (JSON) in the shape ``scoring.score`` takes; ``None`` for "not answered".

    Matching keys arrive as strings (JSON object keys); multiple choice as a list. Other shapes pass through for
    ``score`` to refuse with ``BadResponse``.
    """
    if value is None or value == "" or value == []:
        return None
    match question:
        case MultipleChoice() if isinstance(value, list):
            return set(value)
        case Matching() if isinstance(value, Mapping):
            converted: dict[Any, Any] = {}
            for key, answer in value.items():
                converted[int(key) if isinstance(key, str) and key.isdigit() else key] = answer or None
            return converted
    return value
