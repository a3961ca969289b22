"""Every group against every power: direct publish, approve in the workflow, admin access."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.models import Page, PagePermissionTester, Workflow
from wagtail.permissions import policy_registry

from cms import roles
from cms.models import TwoPersonApprovalTask
from tests import factories

pytestmark = pytest.mark.django_db

# group -> (may access the admin, may publish directly, may approve someone else's tutorial)
EXPECTED = {
    roles.EDITORS: (True, False, False),
    roles.MODERATORS: (True, False, True),
    roles.PUBLICITY_OFFICERS: (True, False, False),
    roles.TRAINING_MANAGERS: (True, False, False),
    roles.STAFF_LEARNERS: (False, False, False),
}


def test_all_groups_exist_with_the_workflow_on_the_whole_tree():
    assert set(roles.ALL_GROUPS) <= set(Group.objects.values_list("name", flat=True))
    workflow = Page.get_first_root_node().get_workflow()
    # The name is stored as the English key and shown translated (cms.workflow_names).
    assert Workflow.objects.filter(pk=workflow.pk, name=roles.WORKFLOW_NAME, active=True).exists()
    [task] = [t.specific for t in workflow.tasks]
    assert isinstance(task, TwoPersonApprovalTask)
    assert list(task.groups.values_list("name", flat=True)) == [roles.MODERATORS]
    assert list(Workflow.objects.filter(active=True)) == [workflow]


@pytest.fixture
def submitted_page(tutorial_index):
    author = factories.make_user("author", roles.EDITORS)
    page = factories.make_tutorial(tutorial_index, publish=False, owner=author)
    page.get_workflow().start(page, author)
    page.refresh_from_db()
    return page


@pytest.mark.parametrize("group", roles.ALL_GROUPS)
def test_group_powers(group, submitted_page, client):
    can_access_admin, can_publish, can_approve = EXPECTED[group]
    user = factories.make_user(f"user-{group}", group)
    assert user.has_perm("wagtailadmin.access_admin") is can_access_admin
    assert PagePermissionTester(user, submitted_page).can_publish() is can_publish
    task = submitted_page.current_workflow_task
    assert bool(task.get_actions(submitted_page, user)) is can_approve
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert (response.status_code == 200) is can_access_admin


def test_superuser_can_do_everything(submitted_page):
    admin = factories.make_user("root", superuser=True)
    assert PagePermissionTester(admin, submitted_page).can_publish()
    assert submitted_page.current_workflow_task.get_actions(submitted_page, admin)


def test_editors_can_write_but_not_publish(tutorial_index):
    editor = factories.make_user("ed", roles.EDITORS)
    tester = PagePermissionTester(editor, tutorial_index)
    assert tester.can_add_subpage() and tester.can_edit()
    assert not tester.can_publish_subpage()
    image_permissions = policy_registry.get_by_type(get_image_model())
    assert image_permissions.user_has_permission(editor, "add")
    learner = factories.make_user("learner", roles.STAFF_LEARNERS)
    assert not image_permissions.user_has_permission(learner, "choose")


def _approve_url(page):
    return reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", page.current_workflow_task_state.pk))


def test_second_moderator_approval_publishes(submitted_page, client):
    client.force_login(factories.make_user("mod", roles.MODERATORS))
    response = client.post(_approve_url(submitted_page), {"comment": ""})
    assert response.status_code in (200, 302)
    submitted_page.refresh_from_db()
    assert submitted_page.live
    assert client.get(submitted_page.url).status_code == 200


def test_author_cannot_approve_own_submission(tutorial_index, client):
    author = factories.make_user("mod-author", roles.MODERATORS)
    page = factories.make_tutorial(tutorial_index, publish=False, owner=author)
    page.get_workflow().start(page, author)
    page.refresh_from_db()
    task = page.current_workflow_task
    assert task.get_actions(page, author) == []
    client.force_login(author)
    # Wagtail's admin answers a PermissionDenied with a redirect home and a "no permission" message.
    response = client.post(_approve_url(page), {"comment": ""}, follow=True)
    assert response.redirect_chain[0] == (reverse("wagtailadmin_home"), 302)
    assert any("权限" in str(message) for message in response.context["messages"])
    page.refresh_from_db()
    assert not page.live
    # ...and the page does not appear in the author's "awaiting your review" list.
    assert not task.get_task_states_user_can_moderate(author).exists()
    other = factories.make_user("mod-other", roles.MODERATORS)
    assert task.get_task_states_user_can_moderate(other).count() == 1


def test_moderator_who_edited_a_revision_cannot_approve_it(submitted_page):
    editing_moderator = factories.make_user("mod-editor", roles.MODERATORS)
    task_state = submitted_page.current_workflow_task_state
    task_state.revision = submitted_page.save_revision(user=editing_moderator)
    task_state.save()
    submitted_page.refresh_from_db()
    assert submitted_page.current_workflow_task.get_actions(submitted_page, editing_moderator) == []


def test_moderator_cannot_publish_through_the_edit_form(tutorial_index, client):
    moderator = factories.make_user("mod-direct", roles.MODERATORS)
    page = factories.make_tutorial(tutorial_index, publish=False, owner=moderator)
    client.force_login(moderator)
    edit_url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    response = client.get(edit_url)
    assert response.status_code == 200
    assert b'name="action-publish"' not in response.content
    assert b'name="action-submit"' in response.content


def test_moderator_who_wrote_an_earlier_revision_under_review_cannot_approve(tutorial_index, client):
    moderator = factories.make_user("mod-drafter", roles.MODERATORS)
    author = factories.make_user("ed-submitter", roles.EDITORS)
    page = factories.make_tutorial(tutorial_index, publish=False, owner=author)
    page.save_revision(user=moderator)  # the moderator drafted part of it...
    page.save_revision(user=author)  # ...and the editor finished and submitted it
    page.get_workflow().start(page, author)
    page.refresh_from_db()
    task = page.current_workflow_task
    assert task.get_actions(page, moderator) == []
    assert not task.get_task_states_user_can_moderate(moderator).exists()
    client.force_login(moderator)
    client.post(_approve_url(page), {"comment": ""})
    page.refresh_from_db()
    assert not page.live
    # Revisions before the last publication are not under review: once live, the drafter may review the next change.
    other = factories.make_user("mod-other", roles.MODERATORS)
    assert task.get_actions(page, other)
    client.force_login(other)
    client.post(_approve_url(page), {"comment": ""})
    page.refresh_from_db()
    assert page.live
    page.save_revision(user=author)
    page.get_workflow().start(page, author)
    page.refresh_from_db()
    assert page.current_workflow_task.get_actions(page, moderator)
