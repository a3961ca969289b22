"""The XLSX question-bank sheet local training offices keep: one question a row, columns found by their headers.

Columns (header names; a few common alternatives are read too): 题型, 题目, 选项A…选项F, 答案, 解析, 分类, 标签, 标题.
题型 is 单选题, 多选题, 判断题, 填空题 (short answer) or 匹配题. 答案 holds a letter (单选), letters
such as ``ABD`` (多选, the right options share the marks equally), 正确/错误 (判断), accepted answers separated by
``|`` with an optional ``%50%`` share (填空); a 匹配题 holds ``左项 -> 右项`` pairs in its option cells
(``-> 右项`` alone is a distractor).
Rows are numbered as the spreadsheet numbers them; the header is the first row naming 题型 and 题目 (a title row
above it is allowed).
"""

from __future__ import annotations

import datetime
import io
import re
import unicodedata
import zipfile
from decimal import Decimal
from typing import Any

from training.quiz.types import (
    CannotWrite,
    Choice,
    InvalidQuestion,
    Issue,
    Matching,
    MultipleChoice,
    Pair,
    Parsed,
    Question,
    QuestionBank,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
    gettext_noop,
    normalise_category,
    split_weights,
)

SHEET = "题库"
LETTERS = "ABCDEF"
HEADERS = ("题型", "题目", *(f"选项{letter}" for letter in LETTERS), "答案", "解析", "分类", "标签", "标题")
_ALIASES = {
    "题型": ("题型", "题目类型", "试题类型", "类型", "type"),
    "题目": ("题目", "题干", "试题", "试题内容", "question"),
    "答案": ("答案", "正确答案", "标准答案", "answer"),
    "解析": ("解析", "答案解析", "试题解析", "feedback"),
    "分类": ("分类", "类别", "题目分类", "category"),
    "标签": ("标签", "知识点", "tags"),
    "标题": ("标题", "题目名称", "title"),
    **{f"选项{letter}": (f"选项{letter}", letter, f"option{letter}") for letter in LETTERS},
}
_KINDS = {
    SingleChoice: "单选题",
    MultipleChoice: "多选题",
    TrueFalse: "判断题",
    ShortAnswer: "填空题",
    Matching: "匹配题",
}
_KIND_NAMES = {
    **dict.fromkeys(("单选", "单选题", "单项选择", "单项选择题", "single"), SingleChoice),
    **dict.fromkeys(("多选", "多选题", "多项选择", "多项选择题", "multiple"), MultipleChoice),
    **dict.fromkeys(("判断", "判断题", "是非题", "truefalse", "true_false"), TrueFalse),
    **dict.fromkeys(("填空", "填空题", "简答", "简答题", "shortanswer", "short_answer"), ShortAnswer),
    **dict.fromkeys(("匹配", "匹配题", "连线", "连线题", "matching"), Matching),
}
_TRUE = {"正确", "对", "是", "√", "✓", "t", "true", "y", "yes"}
_FALSE = {"错误", "错", "否", "×", "✗", "x", "f", "false", "n", "no"}
_TAG_SPLIT = re.compile(r"[,，、;；]")
_VARIANT_SPLIT = re.compile(r"[|｜]")
_PAIR_SPLIT = re.compile(r"->|→")
_WEIGHT_RE = re.compile(r"^%\s*(-?\d+(?:\.\d+)?)\s*%")
_CELL_LIMIT = 32767


class _Bad(Exception):
    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


def _key(header: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", header)).casefold()


_HEADER_KEYS = {_key(alias): name for name, aliases in _ALIASES.items() for alias in aliases}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value).strip()


def parse_xlsx(data: bytes, *, category: str = "", sheet: str | None = None) -> Parsed:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError):
        return Parsed(None, (Issue(1, gettext_noop("The file is not an XLSX workbook.")),))
    try:
        name = sheet or (SHEET if SHEET in workbook.sheetnames else workbook.sheetnames[0])
        if name not in workbook.sheetnames:
            return Parsed(None, (Issue(1, gettext_noop("The workbook has no sheet '%(sheet)s'."), {"sheet": name}),))
        rows = [[_cell(value) for value in row] for row in workbook[name].iter_rows(values_only=True)]
    finally:
        workbook.close()
    if not rows:
        return Parsed(None, (Issue(1, gettext_noop("The sheet is empty.")),))
    header_row = _header_row(rows)
    columns: dict[str, int] = {}
    for index, header in enumerate(rows[header_row]):
        name = _HEADER_KEYS.get(_key(header))
        if name and name not in columns:
            columns[name] = index
    missing = [name for name in ("题型", "题目", "答案") if name not in columns]
    if missing:
        return Parsed(
            None,
            (Issue(header_row + 1, gettext_noop("Missing columns: %(columns)s."), {"columns": "、".join(missing)}),),
        )
    questions: list[Question] = []
    errors: list[Issue] = []
    for number, row in enumerate(rows[header_row + 1 :], start=header_row + 2):
        if not any(row):
            continue
        values = {name: row[index] if index < len(row) else "" for name, index in columns.items()}
        try:
            questions.append(_question(values, default_category=category))
        except _Bad as bad:
            errors.append(Issue(number, bad.message, bad.params))
        except InvalidQuestion as invalid:
            errors.extend(Issue(number, message, params) for message, params in invalid.problems)
    return Parsed.of(questions, errors)


def _header_row(rows: list[list[str]]) -> int:
    """The header is the first row naming both 题型 and 题目; sheets often carry a title row or two above it."""
    for index, row in enumerate(rows[:10]):
        names = {_HEADER_KEYS.get(_key(cell)) for cell in row}
        if {"题型", "题目"} <= names:
            return index
    return 0


def _options(values: dict[str, str]) -> list[str]:
    cells = [values.get(f"选项{letter}", "") for letter in LETTERS]
    while cells and not cells[-1]:
        cells.pop()
    for letter, cell in zip(LETTERS, cells, strict=False):
        if not cell:
            raise _Bad(gettext_noop("Option %(letter)s is empty but a later option is filled."), letter=letter)
    return cells


def _letters(answer: str, options: list[str]) -> list[int]:
    letters = [
        char for char in unicodedata.normalize("NFKC", answer).upper() if not char.isspace() and char not in ",，、;；"
    ]
    if not letters:
        raise _Bad(gettext_noop("The answer is empty."))
    indexes = []
    for letter in letters:
        index = LETTERS.find(letter)
        if index < 0 or index >= len(options):
            raise _Bad(gettext_noop("The answer '%(letter)s' is not one of the options."), letter=letter)
        if index in indexes:
            raise _Bad(gettext_noop("The answer names '%(letter)s' twice."), letter=letter)
        indexes.append(index)
    return sorted(indexes)


def _truth(answer: str, options: list[str]) -> bool:
    word = unicodedata.normalize("NFKC", answer).strip().casefold()
    if len(word) == 1 and word.upper() in LETTERS[: len(options)]:
        word = unicodedata.normalize("NFKC", options[LETTERS.index(word.upper())]).strip().casefold()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise _Bad(gettext_noop("A true/false answer must be 正确 or 错误, not '%(answer)s'."), answer=answer)


def _question(values: dict[str, str], *, default_category: str) -> Question:
    kind_name = _key(values["题型"])
    kind = _KIND_NAMES.get(kind_name)
    if kind is None:
        raise _Bad(
            gettext_noop("Unknown question type '%(kind)s': use 单选题, 多选题, 判断题, 填空题 or 匹配题."),
            kind=values["题型"],
        )
    tags = tuple(dict.fromkeys(tag.strip() for tag in _TAG_SPLIT.split(values.get("标签", "")) if tag.strip()))
    common: dict[str, Any] = {
        "text": values["题目"],
        "title": values.get("标题", ""),
        "category": normalise_category(values.get("分类", "")) or default_category,
        "tags": tags,
        "feedback": values.get("解析", ""),
    }
    answer = values["答案"]
    options = _options(values)
    if kind is SingleChoice or kind is MultipleChoice:
        right = _letters(answer, options)
        if kind is SingleChoice and len(right) != 1:
            raise _Bad(
                gettext_noop("A single-choice question takes one answer letter, not '%(answer)s'."), answer=answer
            )
        weights = dict(zip(right, split_weights(len(right)), strict=True))
        choices = tuple(Choice(text=text, weight=weights.get(index, Decimal(0))) for index, text in enumerate(options))
        return kind(choices=choices, **common)
    if kind is TrueFalse:
        return TrueFalse(answer=_truth(answer, options), **common)
    if kind is ShortAnswer:
        answers = []
        for variant in _VARIANT_SPLIT.split(answer):
            match = _WEIGHT_RE.match(variant.strip())
            weight = Decimal(match.group(1)) if match else Decimal(100)
            text = variant.strip()[match.end() :] if match else variant
            answers.append(Choice(text=text.strip(), weight=weight))
        return ShortAnswer(answers=tuple(answers), **common)
    pairs = []
    for letter, cell in zip(LETTERS, options, strict=False):
        parts = _PAIR_SPLIT.split(cell, maxsplit=1)
        if len(parts) != 2:
            raise _Bad(gettext_noop("Option %(letter)s of a matching question needs 'left -> right'."), letter=letter)
        pairs.append(Pair(prompt=parts[0].strip(), answer=parts[1].strip()))
    return Matching(pairs=tuple(pairs), **common)


# Writing


def cannot_hold(question: Question) -> list[tuple[str, dict[str, Any]]]:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    found: list[tuple[str, dict[str, Any]]] = []
    cells = _row(question)
    if any(ILLEGAL_CHARACTERS_RE.search(cell) or len(cell) > _CELL_LIMIT for cell in cells):
        found.append((gettext_noop("A text holds control characters or is too long for a spreadsheet cell."), {}))
    if any(_TAG_SPLIT.search(tag) for tag in question.tags):
        found.append((gettext_noop("A tag holds a separator (, 、 ;)."), {}))
    match question:
        case SingleChoice() | MultipleChoice():
            if len(question.choices) > len(LETTERS) or any(choice.feedback for choice in question.choices):
                found.append((gettext_noop("The sheet holds at most 6 options and no option feedback."), {}))
            right = [choice.weight for choice in question.choices if choice.weight]
            if list(right) != list(split_weights(len(right))):
                found.append((gettext_noop("The sheet holds no partial credit or negative marks for options."), {}))
        case TrueFalse():
            if question.right_feedback or question.wrong_feedback:
                found.append((gettext_noop("The sheet holds no right/wrong feedback for true/false."), {}))
        case ShortAnswer():
            if any(answer.feedback or _VARIANT_SPLIT.search(answer.text) for answer in question.answers):
                found.append((gettext_noop("The sheet holds no answer feedback, nor '|' inside an answer."), {}))
        case Matching():
            if len(question.pairs) > len(LETTERS) or any(_PAIR_SPLIT.search(pair.prompt) for pair in question.pairs):
                found.append((gettext_noop("The sheet holds at most 6 pairs, with no '->' on the left."), {}))
    return found


def _weight(weight: Decimal) -> str:
    return format(weight.normalize(), "f")


def _row(question: Question) -> list[str]:
    options = [""] * len(LETTERS)
    answer = ""
    match question:
        case SingleChoice() | MultipleChoice():
            for index, choice in enumerate(question.choices[: len(LETTERS)]):
                options[index] = choice.text
            answer = "".join(LETTERS[i] for i, c in enumerate(question.choices[: len(LETTERS)]) if c.weight > 0)
        case TrueFalse():
            answer = "正确" if question.answer else "错误"
        case ShortAnswer():
            answer = "|".join(
                a.text if a.weight == 100 and not a.text.startswith("%") else f"%{_weight(a.weight)}%{a.text}"
                for a in question.answers
            )
        case Matching():
            for index, pair in enumerate(question.pairs[: len(LETTERS)]):
                options[index] = f"{pair.prompt} -> {pair.answer}" if pair.prompt else f"-> {pair.answer}"
    return [
        _KINDS[type(question)],
        question.text,
        *options,
        answer,
        question.feedback,
        question.category,
        "、".join(question.tags),
        question.title,
    ]


def _sheet(workbook: Any, title: str, rows: list[list[str]]) -> Any:
    from openpyxl.styles import Alignment, Font

    sheet = workbook.create_sheet(title)
    sheet.append(list(HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            # A text starting with "=" is a question, not a formula.
            cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHIJKLMN", (10, 40, 16, 16, 16, 16, 16, 16, 12, 30, 16, 16, 16), strict=False):
        sheet.column_dimensions[letter].width = width
    return sheet


def _save(workbook: Any) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def write_xlsx(bank: QuestionBank) -> bytes:
    from openpyxl import Workbook

    problems = [
        Issue(number, message, params)
        for number, question in enumerate(bank.questions, start=1)
        for message, params in cannot_hold(question)
    ]
    if problems:
        raise CannotWrite(problems)
    workbook = Workbook()
    workbook.remove(workbook.active)
    _sheet(workbook, SHEET, [_row(question) for question in bank.questions])
    return _save(workbook)


_EXAMPLES = QuestionBank(
    (
        SingleChoice(
            text="在政务服务网办理社保卡挂失，第一步是？",
            category="社保/社保卡",
            tags=("社保卡", "挂失"),
            feedback="先登录，再进入“社保卡服务”。",
            choices=(
                Choice(text="登录账号", weight=Decimal(100)),
                Choice(text="拨打电话", weight=Decimal(0)),
                Choice(text="去银行柜台", weight=Decimal(0)),
                Choice(text="重新办卡", weight=Decimal(0)),
            ),
        ),
        MultipleChoice(
            text="以下哪些可以用来登录政务服务网？",
            category="通用/登录",
            tags=("登录",),
            choices=(
                Choice(text="手机号和验证码", weight=split_weights(2)[0]),
                Choice(text="电子社保卡扫码", weight=split_weights(2)[1]),
                Choice(text="银行卡密码", weight=Decimal(0)),
            ),
        ),
        TrueFalse(
            text="帮群众办理业务时，可以把群众的身份证号记在自己的本子上。", answer=False, category="通用/个人信息"
        ),
        ShortAnswer(
            text="医保电子凭证在哪个应用里可以领取？（写一个即可）",
            category="医保",
            answers=(Choice(text="国家医保服务平台", weight=Decimal(100)), Choice(text="微信", weight=Decimal(100))),
        ),
        Matching(
            text="把事项和办理入口连起来。",
            category="通用",
            pairs=(
                Pair(prompt="社保卡挂失", answer="人社服务"),
                Pair(prompt="医保电子凭证", answer="医保服务"),
                Pair(prompt="", answer="公积金服务"),
            ),
        ),
    )
)

_GUIDE = (
    "每行一道题；第一行是表头，请勿修改表头文字。",
    "题型：单选题、多选题、判断题、填空题、匹配题。",
    "单选题：选项A至选项F至少填两个，答案填一个字母，如 B。",
    "多选题：答案填多个字母，如 ABD；答对全部得满分，少选或错选的得分按测验设置计算。",
    "判断题：答案填“正确”或“错误”，选项不填。",
    "填空题：答案可填多个可接受的写法，用 | 分开，如 社保卡|社会保障卡；全角半角、空格和大小写不影响判分。",
    "匹配题：每个选项写成“左项 -> 右项”；只写“-> 右项”的是干扰项。答案不填。",
    "解析：答题后给学员看的说明。分类：用 / 分层级，如 社保/社保卡。标签：用顿号或逗号分开。",
    "请勿填写居民身份证号码等个人信息。",
)


def write_xlsx_template() -> bytes:
    """The empty bank sheet (with a type drop-down), filled-in examples, and how to fill it in."""
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    workbook.remove(workbook.active)
    bank = _sheet(workbook, SHEET, [])
    kinds = DataValidation(type="list", formula1='"' + ",".join(_KINDS.values()) + '"', allow_blank=True)
    kinds.add("A2:A5000")
    bank.add_data_validation(kinds)
    _sheet(workbook, "示例", [_row(question) for question in _EXAMPLES.questions])
    guide = workbook.create_sheet("说明")
    for line in _GUIDE:
        guide.append([line])
    guide.column_dimensions["A"].width = 100
    return _save(workbook)
