"""The editor learns what the moderator decided: banners on the edit view and dashboard, one resubmit action."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Task, TaskState, Workflow, WorkflowState
from wagtail.users.models import UserProfile

from cms import roles
from cms.selectors import APPROVAL_NEWS_DAYS
from cms.signal_handlers import apply_roles
from tests import factories
from tutorials.models import TutorialPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tutorial_index):
    author = factories.make_user("author", roles.EDITORS)
    moderator = factories.make_user("moderator", roles.MODERATORS)
    moderator.first_name, moderator.last_name = "陈静", ""
    moderator.save()
    return author, moderator


@pytest.fixture
def submitted(tutorial_index, people):
    author, _moderator = people
    page = factories.make_tutorial(tutorial_index, publish=False, owner=author)
    page.get_workflow().start(page, author)
    return TutorialPage.objects.get(pk=page.pk)


def decide(page, moderator, action: str, comment: str = "") -> None:
    task_state = page.current_workflow_task_state
    task_state.task.specific.on_action(task_state, moderator, action, comment=comment)


def edit_view(client, page):
    return client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()


def test_changes_requested_shows_on_the_edit_view_with_moderator_and_comment(client, people, submitted):
    author, moderator = people
    decide(submitted, moderator, "reject", "第二步的截图是旧版界面，请换成新版。")
    client.force_login(author)
    html = edit_view(client, submitted)
    messages = re.search(r'<div class="messages".*?</ul>', html, re.S).group(0)
    assert "需要修改" in messages
    assert "陈静 要求修改" in messages
    assert "第二步的截图是旧版界面，请换成新版。" in messages
    # The status panel no longer calls a returned tutorial "in moderation".
    assert "审核中" not in html


def test_approval_shows_until_the_next_revision(client, people, submitted):
    author, moderator = people
    decide(submitted, moderator, "approve", "写得很清楚。")
    submitted.refresh_from_db()
    assert submitted.live
    client.force_login(author)
    html = edit_view(client, submitted)
    assert "陈静 已批准" in html and "写得很清楚。" in html

    submitted.save_revision(user=author)
    assert "陈静 已批准" not in edit_view(client, submitted)


def test_an_old_approval_is_no_news(client, people, submitted):
    author, moderator = people
    decide(submitted, moderator, "approve")
    TaskState.objects.update(finished_at=timezone.now() - timedelta(days=APPROVAL_NEWS_DAYS + 1))
    client.force_login(author)
    assert "陈静 已批准" not in edit_view(client, submitted)
    assert 'id="review-outcomes-section"' not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_dashboard_lists_the_decisions_on_what_the_user_submitted(client, tutorial_index, people, submitted):
    author, moderator = people
    other = factories.make_tutorial(tutorial_index, title="办理居住证", publish=False, owner=author)
    other.get_workflow().start(other, author)
    decide(submitted, moderator, "reject", "请补充办理地点。")
    decide(TutorialPage.objects.get(pk=other.pk), moderator, "approve")
    client.force_login(author)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    panel = re.search(r'id="review-outcomes-section".*?</table>', html, re.S).group(0)
    assert "查询社保缴费记录" in panel and "陈静 要求修改" in panel and "请补充办理地点。" in panel
    assert "办理居住证" in panel and "陈静 已批准" in panel

    # The moderator submitted nothing: no panel for them.
    client.force_login(moderator)
    assert 'id="review-outcomes-section"' not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_no_banner_while_the_review_is_open(client, people, submitted):
    author, _moderator = people
    client.force_login(author)
    html = edit_view(client, submitted)
    assert "review-outcome" not in html
    assert "需要修改" not in html


def test_resubmitting_after_changes_requested_is_one_plain_action(client, people, submitted):
    author, moderator = people
    decide(submitted, moderator, "reject", "请修改。")
    client.force_login(author)
    html = edit_view(client, submitted)
    footer = re.search(r"<footer.*?</footer>", html, re.S).group(0)
    assert footer.count('name="action-submit"') == 1
    assert re.search(r'name="action-submit"[^>]*>(<svg.*?</svg>)?\s*重新提交审核\s*</button>', footer, re.S)
    assert 'name="action-restart-workflow"' not in footer
    assert "Resubmit to" not in footer and "重新提交到" not in footer
    # It is the main button, before "save draft".
    assert footer.index("重新提交审核") < footer.index("action-save ")

    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(submitted.pk,)),
        {**_unchanged_form_data(client, submitted), "action-submit": "1"},
    )
    assert response.status_code == 302
    assert WorkflowState.objects.get(pk=submitted.current_workflow_state.pk).status == WorkflowState.STATUS_IN_PROGRESS


def _unchanged_form_data(client, page) -> dict:
    from tests.page_forms import page_form

    data = page_form(
        title=page.title,
        summary=page.summary,
        alt="第1步的手机屏幕",
        category_id=page.category_id,
        image_id=page.steps[0].value["screenshots"][0]["image"].pk,
    )
    data["slug"] = page.slug
    return data


def test_workflow_and_task_names_read_in_the_users_language(client, people, submitted):
    author, moderator = people
    client.force_login(moderator)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "由第二人批准" in html
    assert "A second person approves" not in html

    profile = UserProfile.get_for_user(moderator)
    profile.preferred_language = "en"
    profile.save()
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "A second person approves" in html


def test_the_stored_names_stay_the_keys_when_saved_through_the_admin(client):
    superuser = factories.make_user("boss", superuser=True)
    client.force_login(superuser)
    workflow = Workflow.objects.get(name=roles.WORKFLOW_NAME)
    task = Task.objects.get(name=roles.TASK_NAME).specific
    # Saving the translated name a form shows stores the key again, so apply_roles still finds the rows.
    workflow.name = "双人审核"
    workflow.save()
    task.name = "由第二人批准"
    task.save()
    assert Workflow.objects.filter(name=roles.WORKFLOW_NAME).count() == 1
    assert Task.objects.filter(name=roles.TASK_NAME).count() == 1
    apply_roles()
    assert Task.objects.filter(active=True).count() == 1
    assert Workflow.objects.filter(active=True).count() == 1
    assert TaskState.objects.count() == 0
