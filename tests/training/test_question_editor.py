"""The question editor in the admin: fields per question type instead of the raw ``data`` JSON."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.training import builders, quiz_builders
from training.models import Question, QuestionCategory
from training.quiz import Matching, MultipleChoice, ShortAnswer, SingleChoice, TrueFalse
from training.quiz.data import question_data
from training.quiz_services import bank_import

SECTIONS = ("choices", "answers", "pairs")
GIFT = """$CATEGORY: 社保/医保

::补办::社保卡丢了去哪里补办？{=人社窗口#对~%-50%派出所#派出所办身份证\\n补办社保卡去人社窗口~银行柜台}

::多选::办医保转移要哪些材料？{~%33.33333%身份证~%33.33333%参保凭证~%33.33334%转移单~%-100%户口本}

医保电子凭证可以在手机上申领。{T#答对了#答错了}

养老保险的简称是什么？{=养老金=%50%养老保险金#差一点}

把业务和办理地点连起来。{=社保卡 -> 人社窗口 =身份证 -> 派出所 = -> 税务局}

::十二个选项::哪一项是第一项？{=一~二~三~四~五~六~七~八~九~十~十一~%-10%十二#十二不对}
"""


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def category(base):
    return QuestionCategory.objects.create(name="社保")


def editor_form_class():
    return Question.snippet_viewset.get_edit_handler().get_form_class()


def management(prefix: str, count: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(count),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def rows(prefix: str, items: list[dict]) -> dict:
    data = management(prefix, len(items))
    for index, item in enumerate(items):
        data.update({f"{prefix}-{index}-{key}": value for key, value in item.items()})
    return data


def post(kind: str, category, *, text: str = "哪一个？", **sections) -> dict:
    """The POST of the editor for ``kind``; ``sections`` maps a section or true/false field to its rows or value."""
    data = {"category": str(category.pk), "type": kind, "title": "", "text": text, "feedback": "", "tags": ""}
    for name in SECTIONS:
        data.update(rows(name, sections.pop(name, [])))
    data.update({"answer": "true", "right_feedback": "", "wrong_feedback": ""})
    data.update(sections)
    return data


def post_of(question, category) -> dict:
    """The POST a manager would send to make ``question`` (a training.quiz.types object) in the editor."""
    match question:
        case SingleChoice() | MultipleChoice():
            choices = [{"text": c.text, "weight": str(c.weight), "feedback": c.feedback} for c in question.choices]
            return post(question.kind.value, category, text=question.text, choices=choices)
        case ShortAnswer():
            answers = [{"text": c.text, "weight": str(c.weight), "feedback": c.feedback} for c in question.answers]
            return post(question.kind.value, category, text=question.text, answers=answers)
        case Matching():
            pairs = [{"prompt": p.prompt, "answer": p.answer} for p in question.pairs]
            return post(question.kind.value, category, text=question.text, pairs=pairs)
        case TrueFalse():
            return post(
                question.kind.value,
                category,
                text=question.text,
                answer="true" if question.answer else "false",
                right_feedback=question.right_feedback,
                wrong_feedback=question.wrong_feedback,
            )
    raise AssertionError(question)


def bound(data: dict, instance=None):
    form = editor_form_class()(data, instance=instance)
    form.is_valid()
    return form


FALSE_STATEMENT = TrueFalse(text="社保卡可以借给别人用。", answer=False, right_feedback="对", wrong_feedback="不能借")


@pytest.mark.parametrize(
    "question", [*quiz_builders.ALL, FALSE_STATEMENT], ids=lambda q: f"{q.kind.value}-{q.text[:4]}"
)
def test_each_type_gives_the_data_of_its_question(category, question):
    form = bound(post_of(question, category))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["data"] == question_data(question)
    saved = form.save()
    saved.refresh_from_db()
    assert saved.data == question_data(question) and saved.type == question.kind.value


def test_blank_rows_are_left_out_and_a_missing_weight_is_zero(category):
    choices = [{"text": "人社窗口", "weight": "100"}, {"text": "", "weight": ""}, {"text": "派出所", "weight": ""}]
    form = bound(post("single", category, choices=choices))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["data"] == {
        "choices": [
            {"text": "人社窗口", "weight": "100", "feedback": ""},
            {"text": "派出所", "weight": "0", "feedback": ""},
        ]
    }


def test_the_other_types_sections_are_ignored(category):
    data = post_of(quiz_builders.MATCHING, category)
    data.update(rows("choices", [{"text": "", "weight": "999"}]))
    form = bound(data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["data"] == question_data(quiz_builders.MATCHING)


CHOICES_OK = [{"text": "A", "weight": "100"}, {"text": "B", "weight": "0"}]


@pytest.mark.parametrize(
    ("kind", "sections", "field", "message"),
    [
        ("single", {"choices": [{"text": "A", "weight": "0"}, {"text": "B"}]}, "choices", "exactly one right option"),
        ("single", {"choices": [{"text": "A", "weight": "100"}]}, "choices", "at least two options"),
        ("single", {}, "choices", "at least two options"),
        (
            "multiple",
            {
                "choices": [
                    {"text": "A", "weight": "50"},
                    {"text": "B", "weight": "30"},
                    {"text": "C", "weight": "-100"},
                ]
            },
            "choices",
            "add up to 80%, not 100%",
        ),
        ("short_answer", {"answers": [{"text": "养老金", "weight": "50"}]}, "answers", "worth 100%"),
        ("short_answer", {}, "answers", "worth 100%"),
        ("matching", {"pairs": [{"prompt": "社保卡", "answer": "人社窗口"}]}, "pairs", "at least two pairs"),
        (
            "matching",
            {"pairs": [{"prompt": "", "answer": "人社窗口"}, {"prompt": "", "answer": "派出所"}]},
            "pairs",
            "at least two pairs",
        ),
    ],
)
def test_a_rule_of_the_type_shows_on_its_section(category, kind, sections, field, message):
    form = bound(post(kind, category, **sections))
    assert not form.is_valid()
    assert any(message in error for error in form.errors[field]), form.errors
    assert set(form.errors) == {field}


@pytest.mark.parametrize(
    ("kind", "section", "row", "column", "message"),
    [
        ("single", "choices", {"text": "C", "weight": "150"}, "weight", "less than or equal to 100"),
        ("multiple", "choices", {"text": "C", "weight": "-101"}, "weight", "greater than or equal to -100"),
        ("single", "choices", {"text": "C", "weight": "一百"}, "weight", "Enter a number"),
        ("single", "choices", {"text": " ", "weight": "50"}, "text", "Fill in the text, or clear the row"),
        ("single", "choices", {"text": "", "feedback": "解释"}, "text", "Fill in the text, or clear the row"),
        ("short_answer", "answers", {"text": "", "weight": "100"}, "text", "Fill in the text, or clear the row"),
        ("matching", "pairs", {"prompt": "户口本", "answer": ""}, "answer", "A matching pair has no answer"),
        ("matching", "pairs", {"prompt": "社保卡", "answer": "税务局"}, "prompt", "the same prompt"),
    ],
)
def test_a_bad_row_shows_on_its_field(category, kind, section, row, column, message):
    base_rows = {
        "choices": CHOICES_OK,
        "answers": [{"text": "养老金", "weight": "100"}],
        "pairs": [{"prompt": "社保卡", "answer": "人社窗口"}, {"prompt": "身份证", "answer": "派出所"}],
    }[section]
    form = bound(post(kind, category, **{section: [*base_rows, row]}))
    assert not form.is_valid()
    bad = form.rows[section].forms[len(base_rows)]
    assert any(message in error for error in bad.errors[column]), bad.errors
    assert set(form.errors) == {section} and "Correct the rows marked below" in form.errors[section][0]
    assert all(not other.errors for other in form.rows[section].forms[: len(base_rows)])


def test_a_post_without_the_rows_is_an_error_on_the_section(category):
    data = post("single", category, choices=CHOICES_OK)
    del data["choices-TOTAL_FORMS"]
    form = bound(data)
    assert not form.is_valid() and form.errors["choices"]


def test_messages_are_in_chinese(category):
    with translation.override("zh-hans"):
        form = bound(post("single", category, choices=[{"text": "A", "weight": "0"}, {"text": "", "weight": "5"}]))
        assert not form.is_valid()
        assert form.errors["choices"] == ["请改正下面标出的行。"]
        assert form.rows["choices"].forms[1].errors["text"] == ["请填写文字，或清空这一行。"]
        form = bound(post("single", category, choices=[{"text": "A", "weight": "0"}, {"text": "B"}]))
        assert form.errors["choices"] == ["单选题必须有且只有一个正确选项。"]


def test_editing_prefills_the_fields_from_data(category):
    rows_by_type = {kind: quiz_builders.add(q, category) for kind, q in zip("smtap", quiz_builders.ALL, strict=True)}
    form = editor_form_class()(instance=rows_by_type["s"])
    initial = [row.initial for row in form.rows["choices"]]
    assert initial[:3] == [
        {"text": "人社窗口", "weight": "100", "feedback": "对，人社窗口可以补办。"},
        {"text": "派出所", "weight": "0", "feedback": "派出所办身份证。"},
        {"text": "银行柜台", "weight": "0", "feedback": ""},
    ]
    assert len(initial) == 4 and all(not row.initial for row in form.rows["pairs"])
    form = editor_form_class()(instance=rows_by_type["t"])
    assert form["answer"].value() == "true" and form["wrong_feedback"].value() == "可以，在国家医保服务平台申领。"
    form = editor_form_class()(instance=quiz_builders.add(FALSE_STATEMENT, category))
    assert form["answer"].value() == "false" and form["right_feedback"].value() == "对"
    form = editor_form_class()(instance=rows_by_type["p"])
    assert [row.initial for row in form.rows["pairs"]][:3] == [
        {"prompt": "社保卡", "answer": "人社窗口"},
        {"prompt": "身份证", "answer": "派出所"},
        {"prompt": "", "answer": "税务局"},
    ]


# The admin views ------------------------------------------------------------------------------------------------


class Inputs(HTMLParser):
    """What a browser would submit from the page's form: named inputs, checked radios, selected options, textareas."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self._select = self._textarea = None
        self._template = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "template":
            self._template += 1
        if self._template or not attrs.get("name") and tag != "option":
            return
        if tag == "input" and attrs.get("type") not in {"submit", "button"}:
            if attrs.get("type") in {"radio", "checkbox"} and "checked" not in attrs:
                return
            self.values[attrs["name"]] = attrs.get("value") or ""
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select] = attrs.get("value") or ""
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.values[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "template":
            self._template -= 1
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and not self._template:
            self.values[self._textarea] += data.removeprefix("\n") if not self.values[self._textarea] else data


def form_values(html: str) -> dict:
    parser = Inputs()
    parser.feed(html)
    return {name: value for name, value in parser.values.items() if name != "csrfmiddlewaretoken"}


@pytest.fixture
def manager_client(departments):
    boss = builders.manager("王主任", departments["east"])
    client = Client()
    client.force_login(boss.user)
    client.cookies["django_language"] = "en"
    return client


def test_the_add_view_shows_the_editor_and_creates_a_question(manager_client, category):
    url = reverse("wagtailsnippets_training_question:add")
    response = manager_client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "data-question-editor" in html and 'name="data"' not in html
    assert 'name="choices-0-weight"' in html and 'name="pairs-TOTAL_FORMS"' in html and 'name="answer"' in html
    assert "training/js/question_editor.js" in html and "training/css/question_editor.css" in html
    # Without the script every section shows, under a note saying to fill the one of the type.
    sections = re.findall(r"<section [^>]*data-question-section[^>]*>", html)
    assert len(sections) == 4 and not any(" hidden" in tag for tag in sections)
    assert "data-question-editor-note" in html and "Fill in only the section below" in html
    response = manager_client.post(url, post_of(quiz_builders.SINGLE, category))
    assert response.status_code == 302
    assert Question.objects.get().data == question_data(quiz_builders.SINGLE)


def test_the_add_view_shows_each_error_beside_its_field(manager_client, category):
    url = reverse("wagtailsnippets_training_question:add")
    data = post("multiple", category, choices=[{"text": "A", "weight": "50"}, {"text": "B", "weight": "30"}])
    response = manager_client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200 and not Question.objects.exists()
    assert "add up to 80%, not 100%" in html
    choices = [{"text": "A", "weight": "100"}, {"text": "C", "weight": "200"}, {"text": "", "weight": "50"}]
    data = post("multiple", category, choices=choices)
    response = manager_client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200 and not Question.objects.exists()
    # The message sits in the wrapper of the row's own field.
    weight = html.index('name="choices-1-weight"')
    wrapper = html.rindex("data-field-wrapper", 0, weight)
    assert "less than or equal to 100" in html[wrapper : html.index("</div>", weight) + 200]
    text = html.index('name="choices-2-text"')
    assert "Fill in the text, or clear the row" in html[html.rindex("data-field-wrapper", 0, text) : text + 400]
    # A POST that lost its rows is an error too, not a crash.
    del data["choices-TOTAL_FORMS"]
    response = manager_client.post(url, data)
    assert response.status_code == 200 and not Question.objects.exists()


def test_the_edit_view_updates_a_question(manager_client, category):
    question = quiz_builders.add(quiz_builders.SHORT, category)
    url = reverse("wagtailsnippets_training_question:edit", args=(question.pk,))
    response = manager_client.get(url)
    values = form_values(response.content.decode())
    assert response.status_code == 200 and values["answers-0-text"] == "养老保险金"
    values["answers-1-weight"] = "50"
    values["answers-2-text"] = "养老"
    values["answers-2-weight"] = "100"
    response = manager_client.post(url, values)
    assert response.status_code == 302
    question.refresh_from_db()
    assert [row["text"] for row in question.data["answers"]] == ["养老保险金", "养老金", "养老"]
    assert [row["weight"] for row in question.data["answers"]] == ["100", "50", "100"]


def test_imported_questions_open_and_save_unchanged(manager_client, base):
    result = bank_import(data=GIFT.encode(), format="gift", category="社保")
    assert result.ok, result.errors
    questions = list(Question.objects.order_by("pk"))
    assert len(questions[-1].data["choices"]) == 12
    assert questions[0].data["choices"][1]["feedback"] == "派出所办身份证\n补办社保卡去人社窗口"
    assert {q.type for q in questions} == {"single", "multiple", "true_false", "short_answer", "matching"}
    for question in questions:
        url = reverse("wagtailsnippets_training_question:edit", args=(question.pk,))
        response = manager_client.get(url)
        assert response.status_code == 200
        response = manager_client.post(url, form_values(response.content.decode()))
        assert response.status_code == 302, response.content.decode()[:2000]
        before = question.data
        question.refresh_from_db()
        assert question.data == before


def test_the_editor_speaks_chinese(manager_client, category):
    manager_client.cookies["django_language"] = "zh-hans"
    with translation.override("zh-hans"):
        html = manager_client.get(reverse("wagtailsnippets_training_question:add")).content.decode()
        assert "选项（单选题和多选题）" in html and "添加一个选项" in html and "选项 2 到 10 个" in html
        assert "右项（答案）" in html and "答错时的反馈" in html
        data = post("single", category, choices=[{"text": "A", "weight": "100"}, {"text": "B", "weight": "abc"}])
        html = manager_client.post(reverse("wagtailsnippets_training_question:add"), data).content.decode()
        assert "请改正下面标出的行。" in html and "输入一个数字。" in html
