"""Departments read as their path wherever managers choose or list them: many offices share a name ("第3服务站")
under different townships. The labels cost one query for the whole tree, however many departments there are."""

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from tests.training import builders
from training import dashboards, selectors
from training.models import Department
from training.wagtail_hooks import CourseViewSet, DepartmentViewSet

STATION = "第3服务站"


@pytest.fixture
def stations(base):
    county = Department.objects.create(name="城关县")
    towns = {name: Department.objects.create(name=name, parent=county) for name in ("城关镇", "东关镇")}
    offices = {name: Department.objects.create(name=STATION, parent=town) for name, town in towns.items()}
    return {"county": county, "towns": towns, "offices": offices}


def test_labels_are_paths_below_the_county_and_full_where_two_counties_clash():
    rows = {
        1: ("城关县", None),
        2: ("城关镇", 1),
        3: (STATION, 2),
        4: ("东关镇", 1),
        5: (STATION, 4),
        6: ("河西县", None),
        7: ("东关镇", 6),
        8: ("便民中心", 7),
    }
    labels = selectors.department_labels_of(rows)
    assert labels[1] == "城关县" and labels[6] == "河西县"
    assert labels[3] == "城关镇 / 第3服务站"
    assert labels[8] == "东关镇 / 便民中心"
    # "东关镇 / 第3服务站" is one department, "东关镇" under two counties two: those carry their county.
    assert labels[5] == "东关镇 / 第3服务站"
    assert labels[4] == "城关县 / 东关镇" and labels[7] == "河西县 / 东关镇"
    assert len(set(labels.values())) == len(rows)


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no <select name={name}>"
    return [unescape(text).strip() for text in re.findall(r"<option[^>]*>(.*?)</option>", select.group(1), re.S)]


def test_the_dashboard_filter_tells_the_two_stations_apart(stations):
    boss = builders.manager("刘主任", stations["county"])
    client = Client()
    client.force_login(boss.user)
    for name in ("training_dashboard_departments", "training_dashboard_courses", "training_dashboard_questions"):
        html = client.get(reverse(name)).content.decode()
        options = _options(html, "department")
        assert "城关镇 / 第3服务站" in options and "东关镇 / 第3服务站" in options, name
        assert STATION not in options, name
        # Sorted by path: each station right below its township.
        assert options.index("城关镇 / 第3服务站") == options.index("城关镇") + 1, name


def test_a_manager_of_both_stations_sees_two_rows_that_differ(stations):
    offices = stations["offices"]
    boss = builders.manager("刘主任", offices["城关镇"], offices["东关镇"])
    board = dashboards.completion_dashboard(user=boss.user)
    assert sorted(row.label for row in board.departments) == ["东关镇 / 第3服务站", "城关镇 / 第3服务站"]
    board = dashboards.completion_dashboard(user=boss.user, department_id=offices["东关镇"].pk)
    assert board.total.label == "东关镇 / 第3服务站"


def _choice_labels(field) -> list[str]:
    return [str(label) for value, label in field.choices if value != ""]


def test_course_audience_staff_and_parent_choices_show_paths(stations):
    boss = builders.manager("刘主任", stations["county"])
    client = Client()
    client.force_login(boss.user)
    for url, name in (
        (reverse("wagtailsnippets_training_course:add"), "audience_departments"),
        (reverse("wagtailsnippets_training_staffprofile:add"), "departments"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        options = _options(response.content.decode(), name)
        assert "城关镇 / 第3服务站" in options and "东关镇 / 第3服务站" in options, url
        assert STATION not in options, url
    parent = DepartmentViewSet().get_edit_handler().get_form_class()(for_user=boss.user).fields["parent"]
    labels = _choice_labels(parent)
    assert "城关镇 / 第3服务站" in labels and "东关镇 / 第3服务站" in labels and STATION not in labels


def test_choices_cost_two_queries_however_many_departments(stations, django_assert_num_queries):
    form_class = CourseViewSet().get_edit_handler().get_form_class()
    form = form_class(for_user=builders.manager("刘主任", stations["county"]).user)
    with django_assert_num_queries(2):  # the tree for the labels, the departments offered
        few = _choice_labels(form.fields["audience_departments"])
    for number in range(20):
        town = Department.objects.create(name=f"镇{number}", parent=stations["county"])
        Department.objects.create(name=STATION, parent=town)
    form = form_class(for_user=builders.manager("王主任", stations["county"]).user)
    with django_assert_num_queries(2):
        many = _choice_labels(form.fields["audience_departments"])
    assert len(many) == len(few) + 40


def _html(response) -> str:
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_the_department_list_and_the_parent_chooser_show_paths(stations):
    office = stations["offices"]["城关镇"]
    desk = Department.objects.create(name="窗口", parent=office)
    client = Client()
    client.force_login(builders.manager("刘主任", stations["county"]).user)

    html = _html(client.get(reverse("wagtailsnippets_training_department:list")))
    assert "城关镇 / 第3服务站" in html and "东关镇 / 第3服务站" in html
    html = unescape(client.get(reverse("wagtailsnippetchoosers_training_department:choose")).json()["html"])
    assert "城关镇 / 第3服务站" in html and "东关镇 / 第3服务站" in html
    chosen = client.get(reverse("wagtailsnippetchoosers_training_department:chosen", args=(office.pk,))).json()
    assert chosen["result"]["string"] == "城关镇 / 第3服务站"
    # The edit form's chooser shows the current parent by its path.
    html = _html(client.get(reverse("wagtailsnippets_training_department:edit", args=(desk.pk,))))
    assert "城关镇 / 第3服务站" in html


def test_the_department_list_costs_the_same_queries_with_more_departments(stations):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(builders.manager("刘主任", stations["county"]).user)
    url = reverse("wagtailsnippets_training_department:list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for number in range(10):
        town = Department.objects.create(name=f"镇{number}", parent=stations["county"])
        Department.objects.create(name=STATION, parent=town)
    with CaptureQueriesContext(connection) as many:
        html = _html(client.get(url))
    assert "镇9 / 第3服务站" in html
    assert len(many) == len(few)
