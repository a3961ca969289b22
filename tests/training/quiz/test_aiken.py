"""Moodle's Aiken format (single choice only), with the variants Chinese banks use."""

from decimal import Decimal

import pytest
from hypothesis import given, settings

from training.quiz import CannotWrite, Choice, QuestionBank, SingleChoice, TrueFalse, parse_aiken, write_aiken

from .strategies import banks


def test_reads_questions_with_and_without_blank_lines():
    source = "Which card?\nA. Bank card\nB) Social security card\nANSWER: B\nNext?\nA. x\nB. y\nANSWER: A\n"
    first, second = parse_aiken(source).bank.questions
    assert first == SingleChoice(
        text="Which card?",
        choices=(Choice(text="Bank card", weight=Decimal(0)), Choice(text="Social security card", weight=Decimal(100))),
    )
    assert second.text == "Next?"


def test_reads_chinese_variants_and_multi_line_text():
    source = "\ufeff第二题\n续行\nＡ．甲\nB、乙\n答案：b\n"
    (question,) = parse_aiken(source, category="社保").bank.questions
    assert question.text == "第二题\n续行"
    assert [c.text for c in question.choices] == ["甲", "乙"]
    assert question.choices[1].weight == 100
    assert question.category == "社保"


@pytest.mark.parametrize(
    ("source", "line", "needle"),
    [
        ("Q\nA. x\nB. y\nANSWER: C\n", 4, "'C' is not one of the options"),
        ("Q\nA. x\nB. y\n", 1, "no 'ANSWER: X' line"),
        ("Q\nA. x\nC. y\nANSWER: A\n", 3, "Option C where B was expected"),
        ("Q\nA. x\nANSWER: A\n", 1, "at least two options"),
        ("ANSWER: A\n", 1, "without a question"),
        ("Q\nA. x\nB. y\nstray text\nANSWER: A\n", 4, "Expected the next option"),
    ],
)
def test_mistakes_are_reported_at_their_line(source, line, needle):
    parsed = parse_aiken(source)
    assert parsed.bank is None
    assert any(issue.line == line and needle in issue.text for issue in parsed.errors), parsed.errors


def test_one_bad_question_imports_nothing():
    parsed = parse_aiken("Good\nA. x\nB. y\nANSWER: A\n\nBad\nA. x\nB. y\nANSWER: Z\n")
    assert parsed.bank is None
    assert [issue.line for issue in parsed.errors] == [9]


def test_writer_refuses_what_aiken_cannot_hold():
    bank = QuestionBank(
        (
            TrueFalse(text="Sky is blue", answer=True),
            SingleChoice(text="Q", feedback="why", choices=(Choice(text="a", weight=Decimal(100)), Choice(text="b"))),
            SingleChoice(
                text="Q\nA. looks like an option", choices=(Choice(text="a", weight=Decimal(100)), Choice(text="b"))
            ),
        )
    )
    with pytest.raises(CannotWrite) as raised:
        write_aiken(bank)
    assert [issue.line for issue in raised.value.issues] == [1, 2, 3]


@settings(max_examples=150, deadline=None)
@given(banks(fmt="aiken"))
def test_round_trip(bank):
    assert parse_aiken(write_aiken(bank)).bank == bank
