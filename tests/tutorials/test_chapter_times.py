"""The admin's chapter times: suggested from the approved subtitles, confirmed or corrected by the editor, saved as a
draft revision (never published by this screen)."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from cms import roles
from tests import factories

pytestmark = pytest.mark.django_db

CUES = [
    (0.0, 2.0, "第1步：打开应用"),
    (2.0, 3.37, "这是第1步的说明"),
    (3.37, 5.0, "第2步：打开应用"),
    (5.0, 7.21, "这是第2步的说明"),
    (7.21, 9.0, "第3步：打开应用。这是第3步的说明"),
]


@pytest.fixture
def page_with_video(tutorial_index):
    video = factories.make_video(subtitles="approved", cues=CUES, duration=10)
    page = factories.make_tutorial(tutorial_index, publish=False)
    for step, start in enumerate((0, 3, 7)):  # whole seconds, as chapters used to be
        page = factories.attach_video(page, video, step=step, start=start)
    page.get_latest_revision().publish()
    page.refresh_from_db()
    return page, video


def form_values(response) -> dict[str, str]:
    html = BeautifulSoup(response.content, "html.parser")
    return {field["name"]: field.get("value", "") for field in html.select("form[data-chapter-times] input[type=text]")}


def test_suggested_times_fill_the_form_and_saving_makes_a_draft(client, page_with_video):
    page, _ = page_with_video
    editor = factories.make_user("chapter-editor", roles.EDITORS)
    client.force_login(editor)
    url = reverse("tutorial_chapter_times", args=(page.pk,))
    # The page header offers it.
    edit = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
    assert url in edit.content.decode()
    response = client.get(url)
    assert response.status_code == 200
    values = form_values(response)
    ids = page.step_ids()
    assert [values[f"start-{block_id}"] for block_id in ids] == ["0", "3.37", "7.21"]
    assert [values[f"end-{block_id}"] for block_id in ids] == ["", "", ""]
    # The editor corrects one and gives an explicit end, then saves.
    values[f"start-{ids[2]}"] = "7.3"
    values[f"end-{ids[2]}"] = "9,5"
    saved = client.post(url, values)
    assert saved.status_code == 302 and saved["Location"] == reverse("wagtailadmin_pages:edit", args=(page.pk,))
    page.refresh_from_db()
    draft = page.get_latest_revision_as_object()
    assert [(b.value["video_start"], b.value["video_end"]) for b in draft.steps] == [
        (0.0, None),
        (3.37, None),
        (7.3, 9.5),
    ]
    assert page.has_unpublished_changes
    # The live page keeps its chapters until the draft is approved and published.
    assert [b.value["video_start"] for b in page.steps] == [0, 3, 7]


def test_bad_times_are_named_and_nothing_is_saved(client, page_with_video):
    page, _ = page_with_video
    client.force_login(factories.make_user("root", superuser=True))
    url = reverse("tutorial_chapter_times", args=(page.pk,))
    values = form_values(client.get(url))
    ids = page.step_ids()
    revisions = page.revisions.count()
    for start, end, message in (("abc", "", "is not a number of seconds"), ("5", "4", "the end must come after")):
        values[f"start-{ids[1]}"], values[f"end-{ids[1]}"] = start, end
        response = client.post(url, values, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        assert message in response.content.decode()
    assert page.revisions.count() == revisions


def test_no_subtitles_means_no_suggestion_and_others_may_not_edit(client, tutorial_index):
    video = factories.make_video(subtitles="none")
    page = factories.attach_video(factories.make_tutorial(tutorial_index, publish=False), video, start=4)
    client.force_login(factories.make_user("root", superuser=True))
    url = reverse("tutorial_chapter_times", args=(page.pk,))
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert "no approved subtitles" in response.content.decode()
    assert form_values(response)[f"start-{page.step_ids()[0]}"] == "4"
    client.force_login(factories.make_user("publicity", roles.PUBLICITY_OFFICERS))
    assert client.get(url).status_code in (302, 403)
