import json

from hypothesis import given

from tests.training.quiz.strategies import questions
from training.quiz import Choice, Matching, Pair, ShortAnswer, SingleChoice, option_order
from training.quiz.data import learner_view, question_data, question_from_data, response_from_json


@given(question=questions(fmt="gift"))
def test_question_data_survives_json_and_back(question):
    data = json.loads(json.dumps(question_data(question)))
    again = question_from_data(
        question.kind.value,
        data,
        text=question.text,
        title=question.title,
        category=question.category,
        tags=question.tags,
        feedback=question.feedback,
    )
    assert again == question


@given(question=questions(fmt="gift"))
def test_the_learner_view_holds_no_answer_key(question):
    view = learner_view(question, option_order(question, seed="s", key=1))
    assert set(view) <= {"type", "text", "options", "prompts", "answers"}
    for row in [*view.get("options", ()), *view.get("prompts", ())]:
        assert set(row) == {"value", "text"}
    if isinstance(question, ShortAnswer):
        assert set(view) == {"type", "text"}
    if isinstance(question, Matching):
        # The answers are offered in shuffled order; which prompt each belongs to is not said.
        assert sorted(view["answers"]) == sorted(question.answers)
        assert [prompt["text"] for prompt in view["prompts"]] == list(question.prompts)


def test_options_come_in_the_attempts_order_with_their_stored_positions():
    question = SingleChoice(
        text="哪一个？", choices=(Choice(text="甲", weight=100), Choice(text="乙"), Choice(text="丙"))
    )
    view = learner_view(question, (2, 0, 1))
    assert view["options"] == [{"value": 2, "text": "丙"}, {"value": 0, "text": "甲"}, {"value": 1, "text": "乙"}]


def test_responses_from_json_take_the_shapes_scoring_expects():
    matching = Matching(text="连线", pairs=(Pair(prompt="a", answer="1"), Pair(prompt="b", answer="2")))
    assert response_from_json(matching, {"0": "1", "1": ""}) == {0: "1", 1: None}
    assert response_from_json(matching, None) is None
