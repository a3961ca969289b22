"""Drawing a quiz's questions and shuffling their options, deterministic for an attempt's seed.

The same seed always gives the same questions in the same order with the same option orders, so an attempt can be
rebuilt from its seed after a lost connection, and two attempts with different seeds usually differ.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

from training.quiz.types import Matching, MultipleChoice, Question, SingleChoice, gettext_noop

K = TypeVar("K", bound=Hashable)


class NotEnoughQuestions(ValueError):
    def __init__(self, category: str, wanted: int, available: int) -> None:
        self.message = gettext_noop("Category '%(category)s' has %(available)s questions; the quiz draws %(wanted)s.")
        self.params = {"category": category, "wanted": wanted, "available": available}
        super().__init__(self.message % self.params)


def _rng(seed: int | str, *parts: object) -> random.Random:
    return random.Random(":".join(str(part) for part in (seed, *parts)))


def draw_questions(
    pools: Mapping[str, Sequence[K]],
    counts: Mapping[str, int],
    *,
    seed: int | str,
    shuffle: bool = True,
) -> tuple[K, ...]:
    """Draw ``counts[category]`` distinct keys from each category's pool (in the order ``counts`` lists them).

    With ``shuffle`` the drawn questions are mixed across categories; otherwise they stay grouped by category.
    """
    drawn: list[K] = []
    for category, count in counts.items():
        pool = list(dict.fromkeys(pools.get(category, ())))
        if count < 0 or count > len(pool):
            raise NotEnoughQuestions(category, count, len(pool))
        drawn.extend(_rng(seed, "draw", category).sample(pool, count))
    if shuffle:
        _rng(seed, "order").shuffle(drawn)
    return tuple(drawn)


def option_order(question: Question, *, seed: int | str, key: Hashable) -> tuple[int, ...]:
    """The order to show a question's options (or a matching question's answers) in, as stored positions.

    True/false and short answer have nothing to shuffle and get ``()``.
    """
    match question:
        case SingleChoice() | MultipleChoice():
            size = len(question.choices)
        case Matching():
            size = len(question.answers)
        case _:
            return ()
    order = list(range(size))
    _rng(seed, "options", key).shuffle(order)
    return tuple(order)
