"""Scoring: each rule by example, the attempt's grade, grading over attempts, and invariants over random banks."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from training.quiz import (
    BadResponse,
    Choice,
    GradingMethod,
    Matching,
    MatchingRule,
    MultipleChoice,
    MultipleRule,
    Pair,
    Rules,
    ShortAnswer,
    SingleChoice,
    Slot,
    TrueFalse,
    final_grade,
    grade_attempt,
    normalise_answer,
    score,
)

from .strategies import questions

# Right: a (50%), b (50%); wrong: c (-100%), d (0%).
MULTI = MultipleChoice(
    text="Q",
    choices=(
        Choice(text="a", weight=Decimal(50), feedback="fa"),
        Choice(text="b", weight=Decimal(50)),
        Choice(text="c", weight=Decimal(-100), feedback="fc"),
        Choice(text="d", weight=Decimal(0)),
    ),
)


@pytest.mark.parametrize(
    ("rule", "chosen", "credit"),
    [
        (MultipleRule.PERCENTAGES, {0, 1}, 1),
        (MultipleRule.PERCENTAGES, {0}, Fraction(1, 2)),
        (MultipleRule.PERCENTAGES, {0, 3}, Fraction(1, 2)),
        (MultipleRule.PERCENTAGES, {0, 2}, 0),
        (MultipleRule.PERCENTAGES, {0, 1, 2, 3}, 0),
        (MultipleRule.ALL_OR_NOTHING, {0, 1}, 1),
        (MultipleRule.ALL_OR_NOTHING, {0}, 0),
        (MultipleRule.ALL_OR_NOTHING, {0, 1, 3}, 0),
        (MultipleRule.RIGHT_MINUS_WRONG, {0, 1, 3}, Fraction(1, 2)),
        (MultipleRule.RIGHT_MINUS_WRONG, {0}, Fraction(1, 2)),
        (MultipleRule.RIGHT_MINUS_WRONG, {0, 2, 3}, 0),
        (MultipleRule.PARTIAL_IF_NO_WRONG, {0}, Fraction(1, 2)),
        (MultipleRule.PARTIAL_IF_NO_WRONG, {0, 1, 3}, 0),
        (MultipleRule.PARTIAL_IF_NO_WRONG, {0, 1}, 1),
        (MultipleRule.PARTIAL_IF_NO_WRONG, set(), 0),
    ],
)
def test_multiple_choice_rules(rule, chosen, credit):
    assert score(MULTI, chosen, rules=Rules(multiple=rule)).credit == credit


def test_multiple_choice_feedback_is_that_of_the_chosen_options():
    assert score(MULTI, [2, 0]).feedback == ("fa", "fc")


def test_percentages_with_thirds_give_exactly_full_marks():
    thirds = MultipleChoice(
        text="Q",
        choices=(
            Choice(text="a", weight=Decimal("33.33333")),
            Choice(text="b", weight=Decimal("33.33333")),
            Choice(text="c", weight=Decimal("33.33333")),
            Choice(text="d", weight=Decimal(-100)),
        ),
    )
    assert score(thirds, {0, 1, 2}).credit == 1


def test_single_choice_with_partial_credit_and_feedback():
    question = SingleChoice(
        text="Q",
        choices=(
            Choice(text="a", weight=Decimal(100), feedback="yes"),
            Choice(text="b", weight=Decimal(50)),
            Choice(text="c", weight=Decimal(-50)),
        ),
    )
    assert score(question, 0) == score(question, 0)
    assert (score(question, 0).credit, score(question, 0).feedback) == (1, ("yes",))
    assert score(question, 1).credit == Fraction(1, 2)
    assert score(question, 2).credit == 0
    assert score(question, None).credit == 0


def test_true_false_feedback_follows_rightness():
    question = TrueFalse(text="Q", answer=False, right_feedback="right", wrong_feedback="wrong")
    assert score(question, False).credit == 1 and score(question, False).feedback == ("right",)
    assert score(question, True).credit == 0 and score(question, True).feedback == ("wrong",)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("ＳＯＣＩＡＬ　Security", "social security"),
        ("  social   security ", "social security"),
        ("社保 卡", "社保卡"),
        ("社保卡（新）", "社保卡(新)"),
        ("a , b", "a,b"),
        ("１２３", "123"),
    ],
)
def test_normalise_answer(given, expected):
    assert normalise_answer(given) == expected


def test_short_answer_best_variant_counts_after_normalisation():
    question = ShortAnswer(
        text="Q",
        answers=(
            Choice(text="社会保障卡", weight=Decimal(100)),
            Choice(text="社保卡", weight=Decimal(50), feedback="full name please"),
            Choice(text="Social Security Card", weight=Decimal(100)),
        ),
    )
    assert score(question, "社会 保障卡").credit == 1
    assert score(question, "ｓｏｃｉａｌ  security card").credit == 1
    assert (score(question, "社保卡 ").credit, score(question, "社保卡").feedback) == (
        Fraction(1, 2),
        ("full name please",),
    )
    assert score(question, "socialsecuritycard").credit == 0
    assert score(question, "   ").credit == 0


MATCH = Matching(
    text="Q",
    pairs=(
        Pair(prompt="a", answer="1"),
        Pair(prompt="b", answer="2"),
        Pair(prompt="c", answer="2"),
        Pair(prompt="", answer="9"),
    ),
)


def test_matching_per_pair_and_all_or_nothing():
    assert score(MATCH, {0: "1", 1: "2", 2: "2"}).credit == 1
    assert score(MATCH, {0: "1", 1: "9", 2: None}).credit == Fraction(1, 3)
    assert score(MATCH, {0: "1", 1: "2"}, rules=Rules(matching=MatchingRule.ALL_OR_NOTHING)).credit == 0
    assert score(MATCH, {0: "1", 1: "2", 2: "2"}, rules=Rules(matching=MatchingRule.ALL_OR_NOTHING)).credit == 1


@pytest.mark.parametrize(
    ("question", "response"),
    [
        (MULTI, {7}),
        (MULTI, "ab"),
        (MULTI, {True}),
        (SingleChoice(text="Q", choices=(Choice(text="a", weight=Decimal(100)), Choice(text="b"))), 2),
        (TrueFalse(text="Q"), "yes"),
        (ShortAnswer(text="Q", answers=(Choice(text="a", weight=Decimal(100)),)), 5),
        (MATCH, {3: "1"}),
        (MATCH, {0: "7"}),
        (MATCH, ["1"]),
    ],
)
def test_responses_that_do_not_fit_are_refused(question, response):
    with pytest.raises(BadResponse):
        score(question, response)


def test_attempt_grade_with_points_and_pass_mark():
    slots = [Slot(MULTI, Decimal(2)), Slot(TrueFalse(text="Q", answer=True)), Slot(MATCH, Decimal("1.5"))]
    grade = grade_attempt(slots, {0: {0}, 1: True})
    assert grade.marks == (Fraction(1), Fraction(1), Fraction(0))
    assert (grade.total, grade.maximum) == (2, Fraction(9, 2))
    assert grade.percent() == Decimal("44.44")
    assert grade.passed(Decimal("44.44")) and not grade.passed(Decimal("44.45"))


def test_answers_for_questions_not_in_the_attempt_are_refused():
    with pytest.raises(BadResponse, match="Question 5 is not in this attempt"):
        grade_attempt([Slot(MULTI)], {5: {0}})


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        (GradingMethod.HIGHEST, Fraction(9, 10)),
        (GradingMethod.LAST, Fraction(1, 2)),
        (GradingMethod.FIRST, Fraction(3, 10)),
        (GradingMethod.AVERAGE, Fraction(17, 30)),
    ],
)
def test_grading_methods(method, expected):
    assert final_grade([Fraction(3, 10), Fraction(9, 10), Fraction(1, 2)], method) == expected
    assert final_grade([], method) is None


def key_response(question):
    match question:
        case SingleChoice():
            return next(i for i, c in enumerate(question.choices) if c.weight == 100)
        case MultipleChoice():
            return {i for i, c in enumerate(question.choices) if c.weight > 0}
        case TrueFalse():
            return question.answer
        case ShortAnswer():
            return next(a.text for a in question.answers if a.weight == 100)
        case Matching():
            return {i: pair.answer for i, pair in enumerate(p for p in question.pairs if p.prompt)}


@st.composite
def any_response(draw, question):
    match question:
        case SingleChoice():
            return draw(st.integers(0, len(question.choices) - 1))
        case MultipleChoice():
            return draw(st.sets(st.integers(0, len(question.choices) - 1)))
        case TrueFalse():
            return draw(st.booleans())
        case ShortAnswer():
            return draw(st.text() | st.sampled_from([a.text for a in question.answers]))
        case Matching():
            keys = st.integers(0, len(question.prompts) - 1)
            return draw(st.dictionaries(keys, st.none() | st.sampled_from(question.answers)))


ALL_RULES = [Rules(m, r) for m in MultipleRule for r in MatchingRule]


@settings(max_examples=200, deadline=None)
@given(st.data(), questions(fmt="gift"))
def test_credit_is_between_zero_and_one_and_the_key_gets_full_marks(data, question):
    response = data.draw(any_response(question))
    for rules in ALL_RULES:
        assert 0 <= score(question, response, rules=rules).credit <= 1
        assert score(question, key_response(question), rules=rules).credit == 1
        assert score(question, None, rules=rules).credit == 0


@settings(max_examples=100, deadline=None)
@given(st.data(), questions(fmt="gift").filter(lambda q: isinstance(q, MultipleChoice)))
def test_all_or_nothing_never_gives_more_than_another_rule(data, question):
    response = data.draw(any_response(question))
    strict = score(question, response, rules=Rules(multiple=MultipleRule.ALL_OR_NOTHING)).credit
    for rule in MultipleRule:
        assert strict <= score(question, response, rules=Rules(multiple=rule)).credit


@settings(max_examples=100, deadline=None)
@given(st.lists(st.fractions(0, 1), max_size=6), st.sampled_from(GradingMethod))
def test_final_grade_lies_within_the_attempts(grades, method):
    result = final_grade(grades, method)
    assert result is None if not grades else min(grades) <= result <= max(grades)


@settings(max_examples=60, deadline=None)
@given(st.data(), st.lists(questions(fmt="gift"), min_size=1, max_size=5))
def test_attempt_total_is_between_zero_and_maximum(data, items):
    slots = [Slot(q, data.draw(st.sampled_from([Decimal(1), Decimal("2.5")]))) for q in items]
    responses = {i: data.draw(any_response(q)) for i, q in enumerate(items)}
    grade = grade_attempt(slots, responses)
    assert 0 <= grade.total <= grade.maximum
    assert grade_attempt(slots, {i: key_response(q) for i, q in enumerate(items)}).fraction == 1
