"""Moodle's GIFT format: each feature read, each mistake reported with its line, and the round trip."""

from decimal import Decimal

import pytest
from hypothesis import given, settings

from training.quiz import (
    CannotWrite,
    Choice,
    Matching,
    MultipleChoice,
    Pair,
    QuestionBank,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
    parse_gift,
    write_gift,
)

from .strategies import banks


def only(source: str):
    parsed = parse_gift(source)
    assert parsed.errors == ()
    (question,) = parsed.bank.questions
    return question


def errors(source: str) -> list[tuple[int, str]]:
    parsed = parse_gift(source)
    assert parsed.bank is None
    return [(issue.line, issue.text) for issue in parsed.errors]


def test_single_choice_with_title_feedback_and_general_feedback():
    question = only("::社保卡::挂失第一步？ {=登录#对 ~打电话#不对 ~%50%看说明 ####先登录}")
    assert question == SingleChoice(
        title="社保卡",
        text="挂失第一步？",
        feedback="先登录",
        choices=(
            Choice(text="登录", weight=Decimal(100), feedback="对"),
            Choice(text="打电话", weight=Decimal(0), feedback="不对"),
            Choice(text="看说明", weight=Decimal(50)),
        ),
    )


def test_multiple_choice_with_weights():
    question = only("Which? {~%50%a ~%50%b ~%-100%c#no}")
    assert isinstance(question, MultipleChoice)
    assert [c.weight for c in question.choices] == [50, 50, -100]
    assert question.choices[2].feedback == "no"


@pytest.mark.parametrize(
    ("block", "answer"), [("{T}", True), ("{TRUE}", True), ("{F}", False), ("{FALSE}", False), ("{ true }", True)]
)
def test_true_false_spellings(block, answer):
    assert only(f"1+1 is two {block}").answer is answer


def test_true_false_feedback_is_wrong_then_right():
    question = only("Sky is green {FALSE#No, blue.#Right.####General}")
    assert question == TrueFalse(
        text="Sky is green", answer=False, wrong_feedback="No, blue.", right_feedback="Right.", feedback="General"
    )


def test_short_answer_variants_with_partial_credit_and_feedback():
    question = only("Who? {=no one =nobody =%50%none#close}")
    assert question == ShortAnswer(
        text="Who?",
        answers=(
            Choice(text="no one", weight=Decimal(100)),
            Choice(text="nobody", weight=Decimal(100)),
            Choice(text="none", weight=Decimal(50), feedback="close"),
        ),
    )


def test_matching_with_distractor_on_several_lines():
    question = only("Match capitals {\n=Canada -> Ottawa\n=Italy -> Rome\n= -> Paris\n}")
    assert question == Matching(
        text="Match capitals",
        pairs=(
            Pair(prompt="Canada", answer="Ottawa"),
            Pair(prompt="Italy", answer="Rome"),
            Pair(prompt="", answer="Paris"),
        ),
    )
    assert question.prompts == ("Canada", "Italy")
    assert question.answers == ("Ottawa", "Rome", "Paris")


def test_escapes():
    question = only(r"a \~ \= \# \{ \} \: \\ b\nc {=x\=1 ~y\#2}")
    assert question.text == "a ~ = # { } : \\ b\nc"
    assert [c.text for c in question.choices] == ["x=1", "y#2"]


def test_missing_word_leaves_a_blank():
    assert only("Grant is {~buried =entombed ~living} in the tomb.").text == "Grant is _____ in the tomb."


def test_text_format_marker_is_dropped():
    assert only("[html]<b>Bold</b> {T}").text == "<b>Bold</b>"


def test_categories_comments_and_tags():
    source = """// a comment line
$CATEGORY: $course$/top/社保/医保

// [tag:医保] [tag:a\\]b]
// [id:Q7]
First {T}

$CATEGORY: 通用
Second {F}
"""
    parsed = parse_gift(source)
    first, second = parsed.bank.questions
    assert (first.category, first.tags) == ("社保/医保", ("医保", "a]b"))
    assert (second.category, second.tags) == ("通用", ())
    assert parsed.bank.categories == ("社保/医保", "通用")


@pytest.mark.parametrize(
    ("source", "line", "needle"),
    [
        ("Q1 {T}\n\nQ2 {=a ~b\n", 3, "exactly one answer block"),
        ("Q {=a} and {=b}", 1, "exactly one answer block"),
        ("\n\nJust a description", 3, "descriptions"),
        ("Q {}", 1, "Essay"),
        ("Q {#3:1}", 1, "Numerical"),
        ("::Title Q {T}", 1, "title"),
        ("Q {~%abc%x ~y}", 1, "Bad weight"),
        ("Q {=a =b ~c}", 1, "exactly one right option"),
        ("Q {~%50%a ~%20%b ~c}", 1, "add up to 20%, not 100%"[:6]),
        ("Q {=a -> 1}", 1, "at least two pairs"),
        ("Q {=a -> 1 =b}", 1, "has no '->'"),
        ("Q {x =a}", 1, "must start with"),
        ("Q {=}", 1, "An answer is empty"),
        ("Q {~%150%a ~b}", 1, "outside -100% to 100%"),
        ("Q {=%50%a}", 1, "an accepted answer worth 100%"),
    ],
)
def test_bad_questions_are_reported_at_their_line(source, line, needle):
    found = errors(source)
    assert any(at == line and needle in text for at, text in found), found


def test_weights_not_adding_up_name_the_total():
    assert errors("Q {~%50%a ~%20%b ~c}") == [(1, "The right options' weights add up to 70%, not 100%.")]


def test_one_bad_question_imports_nothing_and_errors_come_in_line_order():
    found = errors("Good {T}\n\nBad {=a =b ~c}\n\nAlso good {F}\n\nQ {#1}")
    assert [line for line, _ in found] == [3, 7]


def test_empty_file_is_an_error():
    assert errors("// only a comment\n") == [(1, "The file holds no questions.")]


def test_writer_refuses_what_gift_cannot_hold():
    bank = QuestionBank(
        (
            ShortAnswer(text="Arrow?", answers=(Choice(text="a->b", weight=Decimal(100)),)),
            TrueFalse(text="Fine"),
            ShortAnswer(text="Arrow?", answers=(Choice(text="ab", weight=Decimal(100), feedback="->"),)),
            TrueFalse(text="Tagged", tags=("<b>",)),
        )
    )
    with pytest.raises(CannotWrite) as raised:
        write_gift(bank)
    assert [issue.line for issue in raised.value.issues] == [1, 3, 4]


def test_writer_keeps_texts_that_look_like_syntax():
    bank = QuestionBank(
        (
            SingleChoice(
                text="// not a comment",
                choices=(Choice(text="%50%x", weight=Decimal(100)), Choice(text="[html]y", weight=Decimal(0))),
            ),
        )
    )
    assert parse_gift(write_gift(bank)).bank == bank


@settings(max_examples=150, deadline=None)
@given(banks(fmt="gift"))
def test_round_trip(bank):
    assert parse_gift(write_gift(bank)).bank == bank


MOODLE_EXPORT = """// question: 0  name: Switch category to $course$/top/Default for 政务培训/社保
$CATEGORY: $course$/top/Default for 政务培训/社保


// question: 12  name: 挂失
// [tag:社保卡]
::挂失::[html]<p>社保卡丢了先做什么？</p>{
\t=<p>挂失</p>#<p>对</p>
\t~%-50%<p>补卡</p>#<p>先挂失</p>
\t~<p>等一等</p>
\t####<p>先挂失再补卡。</p>
}

// question: 13  name: 判断
::判断::[moodle]电子社保卡可以扫码看病。{TRUE#看说明#对}

// question: 14  name: 填空
::填空::[moodle]社保卡的全称是？{
\t=%100%社会保障卡#
\t=%50%社保卡#要写全称
}
"""


def test_reads_a_moodle_export():
    parsed = parse_gift(MOODLE_EXPORT)
    assert parsed.errors == ()
    single, true_false, short = parsed.bank.questions
    assert {q.category for q in parsed.bank.questions} == {"Default for 政务培训/社保"}
    assert (single.title, single.text, single.tags) == ("挂失", "<p>社保卡丢了先做什么？</p>", ("社保卡",))
    assert [(c.weight, c.feedback) for c in single.choices] == [(100, "<p>对</p>"), (-50, "<p>先挂失</p>"), (0, "")]
    assert single.feedback == "<p>先挂失再补卡。</p>"
    assert (true_false.answer, true_false.wrong_feedback, true_false.right_feedback) == (True, "看说明", "对")
    assert [(a.text, a.weight, a.feedback) for a in short.answers] == [
        ("社会保障卡", 100, ""),
        ("社保卡", 50, "要写全称"),
    ]
