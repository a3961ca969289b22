"""Drawing N questions per category and shuffling options, deterministic per attempt seed."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from training.quiz import (
    Choice,
    Matching,
    NotEnoughQuestions,
    Pair,
    SingleChoice,
    TrueFalse,
    draw_questions,
    option_order,
)

POOLS = {"社保": list(range(10)), "医保": list(range(100, 108)), "通用": [200, 201]}


def test_draws_the_asked_number_from_each_category():
    drawn = draw_questions(POOLS, {"社保": 3, "医保": 2, "通用": 2}, seed="attempt-1")
    assert len(drawn) == len(set(drawn)) == 7
    assert sum(key in POOLS["社保"] for key in drawn) == 3
    assert sum(key in POOLS["医保"] for key in drawn) == 2
    assert {200, 201} <= set(drawn)


def test_same_seed_same_draw_and_other_seeds_differ():
    counts = {"社保": 3, "医保": 2}
    assert draw_questions(POOLS, counts, seed=42) == draw_questions(POOLS, counts, seed=42)
    assert len({draw_questions(POOLS, counts, seed=seed) for seed in range(20)}) > 1


def test_unshuffled_draw_keeps_categories_in_order():
    drawn = draw_questions(POOLS, {"医保": 2, "社保": 2}, seed=1, shuffle=False)
    assert all(key >= 100 for key in drawn[:2]) and all(key < 100 for key in drawn[2:])


def test_not_enough_questions():
    with pytest.raises(NotEnoughQuestions, match="'通用' has 2 questions; the quiz draws 3"):
        draw_questions(POOLS, {"通用": 3}, seed=1)
    with pytest.raises(NotEnoughQuestions):
        draw_questions(POOLS, {"没有": 1}, seed=1)


def test_option_order_is_a_deterministic_permutation_per_question():
    question = SingleChoice(text="Q", choices=tuple(Choice(text=str(i), weight=100 if i == 0 else 0) for i in range(6)))
    order = option_order(question, seed="s", key=7)
    assert sorted(order) == list(range(6))
    assert option_order(question, seed="s", key=7) == order
    assert len({option_order(question, seed=seed, key=7) for seed in range(20)}) > 1
    matching = Matching(
        text="Q", pairs=(Pair(prompt="a", answer="1"), Pair(prompt="b", answer="1"), Pair(prompt="", answer="2"))
    )
    assert sorted(option_order(matching, seed="s", key=1)) == [0, 1]
    assert option_order(TrueFalse(text="Q"), seed="s", key=1) == ()


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 10), st.integers(0, 8), st.text())
def test_draw_property(social, medical, seed):
    drawn = draw_questions(POOLS, {"社保": social, "医保": medical}, seed=seed)
    assert len(set(drawn)) == social + medical
    assert set(drawn) <= set(POOLS["社保"]) | set(POOLS["医保"])
    assert drawn == draw_questions(POOLS, {"社保": social, "医保": medical}, seed=seed)
