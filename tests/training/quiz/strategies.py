"""Hypothesis strategies for question banks, each limited to what one file format can hold."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from training.quiz import (
    Choice,
    Matching,
    MultipleChoice,
    Pair,
    QuestionBank,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)
from training.quiz.types import split_weights

PLAIN = "abcXYZ019 社保卡医办理，。？"
SPECIAL = "~=#{}:\\%[]/->_$|"


def texts(*, specials: str = SPECIAL, newlines: bool = False, max_size: int = 20) -> st.SearchStrategy[str]:
    alphabet = PLAIN + specials + ("\n" if newlines else "")
    return st.text(alphabet=alphabet, min_size=1, max_size=max_size).map(str.strip).filter(bool)


def _distinct(strategy: st.SearchStrategy[str], min_size: int, max_size: int) -> st.SearchStrategy[list[str]]:
    return st.lists(strategy, min_size=min_size, max_size=max_size, unique=True)


@st.composite
def questions(draw, *, fmt: str):
    gift, xlsx = fmt == "gift", fmt == "xlsx"
    specials = SPECIAL if gift else SPECIAL.replace("|", "")
    text = texts(specials=specials, newlines=True)
    line = texts(specials=specials)
    feedback = st.just("") | text if gift else st.just("")
    tag = (
        texts(specials="[]_:-") if gift else texts(specials="").map(lambda t: t.replace("，", "").strip()).filter(bool)
    )
    segment = texts(specials=":#=_-")
    common = {
        "text": draw(text),
        "title": draw(st.just("") | line),
        "category": "/".join(draw(st.lists(segment, max_size=3))),
        "tags": tuple(draw(st.lists(tag, max_size=3, unique=True))),
        "feedback": draw(st.just("") | text),
    }
    max_options = 6 if xlsx else 8
    kind = draw(st.sampled_from(["single", "multiple", "true_false", "short", "matching"]))
    if kind == "single":
        options = draw(_distinct(line, 2, max_options))
        right = draw(st.integers(0, len(options) - 1))
        partial = st.sampled_from([Decimal(0), Decimal(50), Decimal("-33.33333"), Decimal("12.5")])
        weights = [
            Decimal(100) if index == right else (draw(partial) if gift else Decimal(0)) for index in range(len(options))
        ]
        choices = tuple(
            Choice(text=option, weight=weight, feedback=draw(feedback))
            for option, weight in zip(options, weights, strict=True)
        )
        return SingleChoice(choices=choices, **common)
    if kind == "multiple":
        options = draw(_distinct(line, 2, max_options))
        right = sorted(draw(st.sets(st.integers(0, len(options) - 1), min_size=1)))
        shares = list(split_weights(len(right)))
        if gift and len(right) == 2:
            shares = draw(st.sampled_from([[Decimal(50), Decimal(50)], [Decimal(70), Decimal(30)]]))
        wrong = st.sampled_from([Decimal(0), Decimal(-100), Decimal("-50")]) if gift else st.just(Decimal(0))
        weights = [shares[right.index(index)] if index in right else draw(wrong) for index in range(len(options))]
        choices = tuple(
            Choice(text=option, weight=weight, feedback=draw(feedback))
            for option, weight in zip(options, weights, strict=True)
        )
        return MultipleChoice(choices=choices, **common)
    if kind == "true_false":
        return TrueFalse(
            answer=draw(st.booleans()), right_feedback=draw(feedback), wrong_feedback=draw(feedback), **common
        )
    if kind == "short":
        answer = texts(specials=specials.replace("->", "").replace(">", ""))
        variants = draw(_distinct(answer, 1, 4))
        partial = st.sampled_from([Decimal(100), Decimal(50), Decimal(0)])
        answer_feedback = st.just("") | texts(specials=specials.replace(">", "")) if gift else st.just("")
        answers = tuple(
            Choice(text=variant, weight=Decimal(100) if index == 0 else draw(partial), feedback=draw(answer_feedback))
            for index, variant in enumerate(variants)
        )
        return ShortAnswer(answers=answers, **common)
    prompt = texts(specials=specials.replace(">", ""))
    prompts = draw(_distinct(prompt, 2, 5 if xlsx else 6))
    pairs = [Pair(prompt=p, answer=draw(line)) for p in prompts]
    if draw(st.booleans()):
        pairs.append(Pair(prompt="", answer=draw(line)))
    return Matching(pairs=tuple(pairs), **common)


@st.composite
def aiken_questions(draw):
    # Question lines start with a Chinese character so that none reads as an option or ANSWER line.
    line = st.builds(lambda head, rest: (head + rest).strip(), st.sampled_from("社保医办"), st.text(PLAIN + SPECIAL))
    text = "\n".join(draw(st.lists(line, min_size=1, max_size=3)))
    options = draw(_distinct(texts(), 2, 8))
    right = draw(st.integers(0, len(options) - 1))
    choices = tuple(
        Choice(text=option, weight=Decimal(100 if index == right else 0)) for index, option in enumerate(options)
    )
    return SingleChoice(text=text, choices=choices)


def banks(*, fmt: str) -> st.SearchStrategy[QuestionBank]:
    question = aiken_questions() if fmt == "aiken" else questions(fmt=fmt)
    return st.lists(question, min_size=1, max_size=6).map(lambda items: QuestionBank(tuple(items)))
