"""The XLSX bank sheet: the template, a sheet as offices fill it in, row-numbered errors and the round trip."""

import io
from decimal import Decimal

import pytest
from hypothesis import given, settings
from openpyxl import Workbook, load_workbook

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
    parse_xlsx,
    write_xlsx,
    write_xlsx_template,
)
from training.quiz.xlsx import HEADERS

from .strategies import banks


def sheet(rows, headers=HEADERS) -> bytes:
    workbook = Workbook()
    workbook.active.title = "题库"
    workbook.active.append(list(headers))
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_template_has_the_headers_a_type_list_and_importable_examples():
    data = write_xlsx_template()
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["题库", "示例", "说明"]
    assert [cell.value for cell in workbook["题库"][1]] == list(HEADERS)
    (validation,) = workbook["题库"].data_validations.dataValidation
    assert "单选题" in validation.formula1 and "匹配题" in validation.formula1
    examples = parse_xlsx(data, sheet="示例")
    assert examples.errors == ()
    assert {type(q) for q in examples.bank.questions} == {
        SingleChoice,
        MultipleChoice,
        TrueFalse,
        ShortAnswer,
        Matching,
    }
    assert parse_xlsx(data).bank is None


def test_reads_a_sheet_with_other_header_names_and_typed_cells():
    headers = ["题目类型", "题干", "A", "B", "C", "D", "正确答案", "答案解析", "类别", "知识点"]
    rows = [
        ["单选", "1+1=?", 1, 2, 3, None, "b", "基础", "数学 / 加法", "算术，加法"],
        ["多选题", "哪些是偶数？", 2, 3, 4, None, "A、C", None, None, None],
        ["判断题", "2 是偶数", None, None, None, None, True, None, None, None],
        ["判断", "3 是偶数", "对", "错", None, None, "B", None, None, None],
        ["填空题", "社保卡全称", None, None, None, None, "社会保障卡｜%50%社保卡", None, None, None],
        ["连线题", "连起来", "社保→人社", "医保 -> 医保局", "-> 公安", None, None, None, None, None],
        [None, None, None, None, None, None, None, None, None, None],
    ]
    parsed = parse_xlsx(sheet(rows, headers), category="默认")
    assert parsed.errors == ()
    single, multiple, true, false, short, matching = parsed.bank.questions
    assert [c.weight for c in single.choices] == [0, 100, 0]
    assert [c.text for c in single.choices] == ["1", "2", "3"]
    assert (single.feedback, single.category, single.tags) == ("基础", "数学/加法", ("算术", "加法"))
    assert [c.weight for c in multiple.choices] == [50, 0, 50]
    assert multiple.category == "默认"
    assert true.answer is True and false.answer is False
    assert [(a.text, a.weight) for a in short.answers] == [("社会保障卡", 100), ("社保卡", 50)]
    assert matching.pairs == (
        Pair(prompt="社保", answer="人社"),
        Pair(prompt="医保", answer="医保局"),
        Pair(prompt="", answer="公安"),
    )


def test_a_title_row_above_the_header_is_skipped_and_rows_keep_their_numbers():
    workbook = Workbook()
    workbook.active.append(["某某县政务服务培训题库（2026）"])
    workbook.active.append(["题型", "题目", "答案"])
    workbook.active.append(["判断题", "ok", "正确"])
    workbook.active.append(["判断题", "bad", "也许"])
    out = io.BytesIO()
    workbook.save(out)
    parsed = parse_xlsx(out.getvalue())
    assert [issue.line for issue in parsed.errors] == [4]
    workbook.active.delete_rows(4)
    out = io.BytesIO()
    workbook.save(out)
    (question,) = parse_xlsx(out.getvalue()).bank.questions
    assert question == TrueFalse(text="ok", answer=True)


def test_three_right_options_share_exactly_100():
    row = ["多选题", "Q", "a", "b", "c", "d", "", "", "", "", "", "", "", ""]
    row[HEADERS.index("答案")] = "ABD"
    (question,) = parse_xlsx(sheet([row])).bank.questions
    assert sum(c.weight for c in question.choices) == 100


def row(**cells):
    values = dict.fromkeys(HEADERS, None)
    values.update(cells)
    return [values[name] for name in HEADERS]


@pytest.mark.parametrize(
    ("bad", "needle"),
    [
        (row(题型="问答题", 题目="Q", 答案="x"), "Unknown question type '问答题'"),
        (row(题型="单选题", 题目="Q", 选项A="a", 选项B="b", 答案="C"), "'C' is not one of the options"),
        (row(题型="单选题", 题目="Q", 选项A="a", 选项B="b", 答案="AB"), "takes one answer letter"),
        (row(题型="单选题", 题目="Q", 选项A="a", 选项C="c", 答案="A"), "Option B is empty"),
        (row(题型="单选题", 题目="", 选项A="a", 选项B="b", 答案="A"), "no text"),
        (row(题型="判断题", 题目="Q", 答案="也许"), "正确 or 错误"),
        (row(题型="多选题", 题目="Q", 选项A="a", 选项B="b", 答案=""), "answer is empty"),
        (row(题型="匹配题", 题目="Q", 选项A="a", 选项B="b -> 1"), "needs 'left -> right'"),
    ],
)
def test_bad_rows_are_reported_by_row_number_and_nothing_is_imported(bad, needle):
    good = row(题型="判断题", 题目="ok", 答案="正确")
    parsed = parse_xlsx(sheet([good, bad, good]))
    assert parsed.bank is None
    assert any(issue.line == 3 and needle in issue.text for issue in parsed.errors), parsed.errors


def test_missing_columns_and_files_that_are_not_workbooks():
    assert parse_xlsx(sheet([], headers=["题目", "选项A"])).errors[0].text == "Missing columns: 题型、答案."
    assert parse_xlsx(b"not a zip").errors[0].text == "The file is not an XLSX workbook."


def test_a_text_starting_with_equals_stays_text():
    bank = QuestionBank((TrueFalse(text="=1+1", answer=True, feedback='=HYPERLINK("x")'),))
    data = write_xlsx(bank)
    cell = load_workbook(io.BytesIO(data))["题库"]["B2"]
    assert cell.data_type == "s"
    assert parse_xlsx(data).bank == bank


def test_writer_refuses_what_the_sheet_cannot_hold():
    bank = QuestionBank(
        (
            SingleChoice(text="Q", choices=(Choice(text="a", weight=Decimal(100)), Choice(text="b", feedback="no"))),
            MultipleChoice(
                text="Q", choices=(Choice(text="a", weight=Decimal(70)), Choice(text="b", weight=Decimal(30)))
            ),
            TrueFalse(text="Q", right_feedback="yes"),
        )
    )
    with pytest.raises(CannotWrite) as raised:
        write_xlsx(bank)
    assert [issue.line for issue in raised.value.issues] == [1, 2, 3]


@settings(max_examples=60, deadline=None)
@given(banks(fmt="xlsx"))
def test_round_trip(bank):
    assert parse_xlsx(write_xlsx(bank)).bank == bank
