"""Admin forms tell a changed StreamField by value: stored ints and missing child blocks equal what the form sends."""

import pytest
from django.http import QueryDict

from cms import roles
from cms.forms import StreamFormField
from tests import factories
from tutorials.models import TutorialPage

pytestmark = pytest.mark.django_db


def _form_data(page: TutorialPage, **changes) -> QueryDict:
    """What the editor's form posts for the page's steps, the way the browser writes it (all text)."""
    data = {"steps-count": str(len(page.steps))}
    for i, block in enumerate(page.steps.raw_data):
        prefix, value = f"steps-{i}", block["value"]
        data.update({f"{prefix}-type": "step", f"{prefix}-id": block["id"], f"{prefix}-deleted": ""})
        data[f"{prefix}-order"] = i
        data[f"{prefix}-value-title"] = changes.get("title", value["title"])
        data[f"{prefix}-value-text"] = value["text"]
        shots = value["screenshots"]
        data[f"{prefix}-value-screenshots-count"] = str(len(shots))
        for j, shot in enumerate(shots):
            item = f"{prefix}-value-screenshots-{j}"
            data.update({f"{item}-id": shot["id"], f"{item}-deleted": "", f"{item}-order": j})
            data[f"{item}-value-image"] = str(shot["value"]["image"])
            data[f"{item}-value-alt"] = shot["value"]["alt"]
        data[f"{prefix}-value-tip-kind"] = value["tip"]["kind"]
        data[f"{prefix}-value-tip-text"] = value["tip"]["text"]
        data[f"{prefix}-value-video"] = ""
        start = value.get("video_start")
        data[f"{prefix}-value-video_start"] = "" if start is None else str(start)
    query = QueryDict(mutable=True)
    query.update(data)
    return query


@pytest.fixture
def page(tutorial_index):
    page = factories.make_tutorial(tutorial_index, publish=False)
    raw = [dict(block) for block in page.steps.raw_data]
    raw[0]["value"] = {**raw[0]["value"], "video_start": 36}  # stored as an int
    raw[1]["value"] = {**raw[1]["value"], "video_start": None}  # stored as null
    # stored before the field existed
    raw[2]["value"] = {k: v for k, v in raw[2]["value"].items() if k != "video_start"}
    page.steps = raw
    page.save()
    return TutorialPage.objects.get(pk=page.pk)


def _steps_changed(page: TutorialPage, data: QueryDict) -> bool:
    user = factories.make_user("mod", roles.MODERATORS)
    form_class = TutorialPage.get_edit_handler().get_form_class()
    form = form_class(instance=page, for_user=user, parent_page=page.get_parent())
    field = form.fields["steps"]
    assert isinstance(field, StreamFormField)
    sent = field.widget.value_from_datadict(data, {}, "steps")
    return field.has_changed(form.get_initial_for_field(field, "steps"), sent)


def test_unchanged_steps_posted_as_text_are_not_a_change(page):
    assert not _steps_changed(page, _form_data(page))


def test_an_edited_step_is_a_change(page):
    assert _steps_changed(page, _form_data(page, title="改过的标题"))
