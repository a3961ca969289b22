import io

import pytest
from django.contrib.auth import authenticate
from django.test import Client, RequestFactory
from django.urls import reverse

from cms import roles
from tests import factories
from tests.training import builders
from training import selectors
from training.models import Department, StaffProfile

LIST = "wagtailsnippets_training_{}:list"
EDIT = "wagtailsnippets_training_{}:edit"


def refused(response) -> bool:
    """Wagtail answers a PermissionDenied in the admin with a redirect to the dashboard and a message."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


@pytest.fixture
def east_manager(departments):
    boss = builders.manager("王主任", departments["east"])
    client = Client()
    client.force_login(boss.user)
    return client


def test_department_list_shows_a_manager_their_subtree_only(departments, east_manager):
    html = east_manager.get(reverse(LIST.format("department"))).content.decode()
    assert "东关街道" in html and "便民服务中心" in html
    assert "西关街道" not in html and "河西县" not in html


def test_staff_list_shows_a_manager_their_people_only(departments, east_manager):
    builders.staff("李明", departments["office"])
    builders.staff("张强", departments["west"])
    html = east_manager.get(reverse(LIST.format("staffprofile"))).content.decode()
    assert "李明" in html and "张强" not in html


def test_course_list_shows_a_manager_courses_for_their_people(departments, east_manager):
    builders.course("全县课程", departments=[departments["county"]])
    builders.course("河西课程", departments=[departments["other"]])
    html = east_manager.get(reverse(LIST.format("course"))).content.decode()
    assert "全县课程" in html and "河西课程" not in html


def test_editing_or_deleting_outside_ones_departments_is_forbidden(departments, east_manager):
    outsider = builders.staff("张强", departments["west"])
    assert refused(east_manager.get(reverse(EDIT.format("staffprofile"), args=(outsider.pk,))))
    assert refused(east_manager.get(reverse(EDIT.format("department"), args=(departments["west"].pk,))))
    delete = reverse("wagtailsnippets_training_department:delete", args=(departments["west"].pk,))
    assert refused(east_manager.post(delete))
    assert Department.objects.filter(pk=departments["west"].pk).exists()
    other = builders.course("河西课程", departments=[departments["other"]])
    assert refused(east_manager.get(reverse(EDIT.format("course"), args=(other.pk,))))
    inside = builders.staff("李明", departments["office"])
    assert east_manager.get(reverse(EDIT.format("staffprofile"), args=(inside.pk,))).status_code == 200


def test_a_manager_adds_departments_only_below_their_own(departments, east_manager):
    add = reverse("wagtailsnippets_training_department:add")
    response = east_manager.post(add, {"name": "新县", "parent": ""})
    assert response.status_code == 200 and not Department.objects.filter(name="新县").exists()
    east_manager.post(add, {"name": "越界办", "parent": departments["west"].pk})
    assert not Department.objects.filter(name="越界办").exists()
    east_manager.post(add, {"name": "社区办", "parent": departments["east"].pk})
    assert Department.objects.get(name="社区办").parent == departments["east"]


def test_a_department_cannot_move_below_itself(departments):
    client = Client()
    client.force_login(factories.make_user("root", superuser=True))
    edit = reverse(EDIT.format("department"), args=(departments["east"].pk,))
    response = client.post(edit, {"name": "东关街道", "parent": departments["office"].pk})
    assert response.status_code == 200
    assert "部门不能隶属于自身或自己的下级部门" in response.content.decode()
    departments["east"].refresh_from_db()
    assert departments["east"].parent == departments["county"]


def test_a_manager_adds_a_staff_member_who_can_then_sign_in(departments, east_manager):
    add = reverse("wagtailsnippets_training_staffprofile:add")
    response = east_manager.post(
        add,
        {
            "name": "孙悦",
            "staff_number": "E100",
            "mobile": "",
            "departments": [departments["office"].pk],
            "new_password": "Learn-2026-safe",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    profile = StaffProfile.objects.get(staff_number="E100")
    assert profile.user.groups.filter(name=roles.STAFF_LEARNERS).exists()
    request = RequestFactory().post("/learn/login/")
    assert authenticate(request, username="E100", password="Learn-2026-safe") == profile.user


def test_a_manager_cannot_put_staff_in_someone_elses_department(departments, east_manager):
    add = reverse("wagtailsnippets_training_staffprofile:add")
    east_manager.post(add, {"name": "孙悦", "staff_number": "E101", "departments": [departments["west"].pk]})
    assert not StaffProfile.objects.filter(staff_number="E101").exists()


def test_admin_import_previews_then_imports_on_confirm(departments, east_manager):
    url = reverse("training_staff_import")
    sheet = io.BytesIO("姓名,部门,工号\n李明,城关县/东关街道,A001\n".encode())
    sheet.name = "staff.csv"
    response = east_manager.post(url, {"file": sheet})
    html = response.content.decode()
    assert "data-import-preview" in html and "李明" in html
    assert not StaffProfile.objects.filter(staff_number="A001").exists()
    token = response.context["token"]
    response = east_manager.post(url, {"confirm": token})
    assert response.status_code == 302
    assert StaffProfile.objects.get(staff_number="A001").name == "李明"
    # the same confirmation again finds no preview and imports nothing twice
    response = east_manager.post(url, {"confirm": token}, follow=True)
    assert "预览已失效" in response.content.decode()


def test_admin_import_with_errors_imports_nothing(departments, east_manager):
    sheet = io.BytesIO("姓名,部门,工号,身份证号\n李明,城关县/东关街道,A001,x\n".encode())
    sheet.name = "staff.csv"
    response = east_manager.post(reverse("training_staff_import"), {"file": sheet})
    html = response.content.decode()
    assert "data-import-errors" in html and "身份证号" in html and "data-import-preview" not in html
    assert "token" not in response.context or not response.context.get("token")
    assert not StaffProfile.objects.filter(staff_number="A001").exists()


def test_learners_and_editors_cannot_reach_training_admin(departments):
    learner = builders.staff("李明", departments["office"])
    editor = factories.make_user("editor", roles.EDITORS)
    for user in (learner.user, editor):
        client = Client()
        client.force_login(user)
        assert client.get(reverse("training_staff_import")).status_code in (302, 403)
        assert client.get(reverse(LIST.format("staffprofile"))).status_code in (302, 403)
        assert "李明" not in client.get(reverse(LIST.format("staffprofile")), follow=True).content.decode()


def test_a_course_reaches_learners_only_after_a_second_person_approves(departments):
    boss = builders.manager("王主任", departments["east"])
    moderator = factories.make_user("moderator", roles.MODERATORS)
    learner = builders.staff("李明", departments["office"])
    course = builders.course("街道课程", departments=[departments["east"]], live=False)
    course.save_revision(user=boss.user)
    course.get_workflow().start(course, boss.user)
    course.refresh_from_db()
    assert not selectors.learner_courses(user=learner.user).exists()
    task_state = course.current_workflow_task_state
    task = task_state.task.specific
    assert task.get_actions(course, boss.user) == []
    assert "approve" in [name for name, *_ in task.get_actions(course, moderator)]
    reviewer = Client()
    reviewer.force_login(moderator)
    assert reviewer.get(reverse(EDIT.format("course"), args=(course.pk,))).status_code == 200
    task.on_action(task_state, moderator, "approve")
    course.refresh_from_db()
    assert course.live
    assert list(selectors.learner_courses(user=learner.user)) == [course]


def course_form(*, title: str, department_ids: list[int], tutorial_id: int) -> dict:
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

    data = nested_form_data(
        {
            "title": title,
            "description": "学会帮群众查社保",
            "deadline": "",
            "deadline_overrides": inline_formset([]),
            "lessons": inline_formset(
                [{"title": "查社保", "tutorial": tutorial_id, "body": rich_text("<p>先看教程</p>"), "required": "on"}]
            ),
        }
    )
    data["audience_departments"] = department_ids  # a multiple choice: the client sends one value per item
    return data


def test_a_manager_builds_a_course_in_the_admin_and_submits_it_for_review(departments, east_manager, tutorial):
    data = course_form(title="街道课程", department_ids=[departments["east"].pk], tutorial_id=tutorial.pk)
    data["action-submit"] = "Submit"
    response = east_manager.post(reverse("wagtailsnippets_training_course:add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    from training.models import Course

    course = Course.objects.get(title="街道课程")
    assert not course.live
    assert course.current_workflow_state is not None
    assert [lesson.tutorial_id for lesson in course.lessons.all()] == [tutorial.pk]
    assert list(course.audience_departments.all()) == [departments["east"]]
    learner = builders.staff("李明", departments["office"])
    assert not selectors.learner_courses(user=learner.user).exists()


def test_a_course_for_someone_elses_department_is_refused_in_the_form(departments, east_manager, tutorial):
    data = course_form(title="越界课程", department_ids=[departments["other"].pk], tutorial_id=tutorial.pk)
    response = east_manager.post(reverse("wagtailsnippets_training_course:add"), data)
    assert response.status_code == 200
    from training.models import Course

    assert not Course.objects.filter(title="越界课程").exists()


def test_bulk_delete_skips_staff_outside_ones_departments(departments, east_manager):
    inside = builders.staff("李明", departments["office"])
    outsider = builders.staff("张强", departments["west"])
    url = (
        reverse("wagtail_bulk_action", args=("training", "staffprofile", "delete"))
        + f"?id={inside.pk}&id={outsider.pk}"
    )
    east_manager.post(url)
    assert StaffProfile.objects.filter(pk=outsider.pk).exists()
    assert not StaffProfile.objects.filter(pk=inside.pk).exists()
