"""What changed in a tutorial's steps between the version a learner completed and the live one. Pure (no Django).

Steps are matched by their StreamField block id, which Wagtail keeps for a block while editors change it; a step
with a new id was added, one whose id is gone was removed, and one whose title, text or anything else (screenshots,
tip, video) differs was edited.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Step:
    id: str
    number: int
    title: str
    text: str
    rest: str = ""  # the other parts of the step, as canonical JSON, so any change to them is seen


@dataclass(frozen=True)
class StepChanges:
    added: list[Step] = field(default_factory=list)
    removed: list[Step] = field(default_factory=list)
    edited: list[Step] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.edited)

    @property
    def count(self) -> int:
        return len(self.added) + len(self.removed) + len(self.edited)


def steps_from_stream(raw: Any) -> list[Step]:
    """The steps of a StreamField's raw data (a list of blocks, or its JSON text, as a revision stores it)."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw or "[]")
        except ValueError:
            return []
    steps: list[Step] = []
    for block in raw or []:
        if not isinstance(block, dict) or block.get("type") != "step":
            continue
        value = block.get("value") or {}
        if not isinstance(value, dict):
            continue
        rest = {key: item for key, item in value.items() if key not in ("title", "text")}
        steps.append(
            Step(
                id=str(block.get("id") or f"#{len(steps)}"),
                number=len(steps) + 1,
                title=str(value.get("title") or ""),
                text=str(value.get("text") or ""),
                rest=json.dumps(rest, sort_keys=True, ensure_ascii=False, default=str),
            )
        )
    return steps


def step_changes(before: list[Step], after: list[Step]) -> StepChanges:
    """Added and edited steps are the live ones (their numbers now); removed steps are as they were."""
    old = {step.id: step for step in before}
    new_ids = {step.id for step in after}
    added = [step for step in after if step.id not in old]
    removed = [step for step in before if step.id not in new_ids]
    edited = [
        step
        for step in after
        if step.id in old
        and (step.title, step.text, step.rest) != (old[step.id].title, old[step.id].text, old[step.id].rest)
    ]
    return StepChanges(added=added, removed=removed, edited=edited)
