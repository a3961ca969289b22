"""Visits through a channel's tagged links: counted per request without cookies, helpful answers, the chart."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cms import roles
from media.pipeline.social import tagged_url
from publishing.models import Channel, ChannelVisit
from publishing.visits import channel_visit_count
from publishing.visits_chart import line_chart_svg
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def douyin():
    return Channel.objects.create(name="抖音", slug="douyin", kind=Channel.Kind.VERTICAL_VIDEO)


@pytest.fixture
def weibo():
    return Channel.objects.create(name="微博", slug="weibo", kind=Channel.Kind.WEIBO)


def counts(tutorial) -> dict[str, tuple[int, int]]:
    return {
        row.channel.slug: (row.visits, row.helpful)
        for row in ChannelVisit.objects.filter(tutorial=tutorial).select_related("channel")
    }


def test_a_tagged_visit_counts_once_per_request_and_sets_no_cookie(client, tutorial, douyin):
    plain = client.get(tutorial.url)
    assert plain.status_code == 200 and counts(tutorial) == {}
    url = tagged_url(tutorial.full_url, "douyin")
    assert url.endswith("?ch=douyin")
    client.cookies.clear()
    first = client.get(url)
    assert first.status_code == 200
    assert counts(tutorial) == {"douyin": (1, 0)}
    # Nothing more is set than on the untagged page (its feedback forms' CSRF cookie), and no session.
    assert set(first.cookies) == set(plain.cookies) and "sessionid" not in first.cookies
    client.get(url)
    assert counts(tutorial) == {"douyin": (2, 0)}
    # Only the day and the count are stored.
    assert {field.name for field in ChannelVisit._meta.fields} == {
        "id",
        "tutorial",
        "channel",
        "day",
        "visits",
        "helpful",
    }


@pytest.mark.parametrize("tag", ["nosuchchannel", "DOUYIN", "douyin'--", "", "x" * 300])
def test_an_unknown_tag_counts_nothing(client, tutorial, douyin, tag):
    response = client.get(tutorial.url, {"ch": tag})
    assert response.status_code == 200
    assert not ChannelVisit.objects.exists()
    assert 'name="ch"' not in response.content.decode()


def test_the_feedback_form_carries_the_channel_and_a_yes_counts_as_helpful(client, tutorial, douyin):
    page = client.get(tutorial.url, {"ch": "douyin"}).content.decode()
    assert page.count('<input type="hidden" name="ch" value="douyin">') == len(tutorial.step_ids())
    step = tutorial.step_ids()[0]
    response = client.post(
        reverse("step_feedback"), {"page": tutorial.pk, "step": step, "helpful": "yes", "ch": "douyin"}
    )
    assert response.status_code == 302 and "via=douyin" in response["Location"]
    assert counts(tutorial) == {"douyin": (1, 1)}
    # The page after answering keeps the channel for the next answers without counting another visit.
    again = client.get(response["Location"])
    assert 'name="ch" value="douyin"' in again.content.decode()
    assert counts(tutorial) == {"douyin": (1, 1)}
    # A "no" is not helpful; an answer without a channel or with an unknown one counts for none.
    client.post(reverse("step_feedback"), {"page": tutorial.pk, "step": step, "helpful": "no", "ch": "douyin"})
    client.post(reverse("step_feedback"), {"page": tutorial.pk, "step": step, "helpful": "yes"})
    client.post(reverse("step_feedback"), {"page": tutorial.pk, "step": step, "helpful": "yes", "ch": "nope"})
    assert counts(tutorial) == {"douyin": (1, 1)}
    # The JSON answer of the page's script counts too.
    client.post(
        reverse("step_feedback"),
        {"page": tutorial.pk, "step": step, "helpful": "yes", "ch": "douyin"},
        headers={"accept": "application/json"},
    )
    assert counts(tutorial) == {"douyin": (1, 2)}


def test_an_untagged_page_has_no_channel_field(client, tutorial, douyin):
    assert 'name="ch"' not in client.get(tutorial.url).content.decode()


def test_the_count_is_one_upsert_per_day(tutorial, douyin, weibo):
    for _ in range(3):
        channel_visit_count(tutorial_id=tutorial.pk, tag="douyin")
    channel_visit_count(tutorial_id=tutorial.pk, tag="weibo")
    assert counts(tutorial) == {"douyin": (3, 0), "weibo": (1, 0)}
    assert ChannelVisit.objects.count() == 2


def test_the_chart_view_shows_the_numbers(client, tutorial, douyin, weibo):
    today = timezone.localdate()
    ChannelVisit.objects.create(tutorial=tutorial, channel=douyin, day=today, visits=17, helpful=5)
    ChannelVisit.objects.create(tutorial=tutorial, channel=douyin, day=today - timedelta(days=3), visits=4, helpful=1)
    ChannelVisit.objects.create(tutorial=tutorial, channel=weibo, day=today - timedelta(days=1), visits=9, helpful=2)
    ChannelVisit.objects.create(tutorial=tutorial, channel=weibo, day=today - timedelta(days=60), visits=100)
    client.force_login(factories.make_user("publicity", roles.PUBLICITY_OFFICERS))
    html = client.get(reverse("publishing_tutorial_visits", args=(tutorial.pk,))).content.decode()
    row = re.search(r'<tr data-channel="douyin">.*?</tr>', html, re.S).group(0)
    assert "<td data-visits-count>21</td>" in row and "<td data-helpful-count>6</td>" in row
    row = re.search(r'<tr data-channel="weibo">.*?</tr>', html, re.S).group(0)
    assert "<td data-visits-count>9</td>" in row and "<td data-helpful-count>2</td>" in row  # 60 days ago: outside
    assert "<svg" in html and f"抖音 {today.isoformat()}: 17</title>" in html
    assert "style=" not in html.split('<figure class="visits-report__chart">')[1].split("</figure>")[0]
    wide = client.get(reverse("publishing_tutorial_visits", args=(tutorial.pk,)), {"days": "90"}).content.decode()
    assert "<td data-visits-count>109</td>" in wide
    # The report lists the tutorial with its totals and links to the chart.
    report = client.get(reverse("publishing_visits_report")).content.decode()
    assert reverse("publishing_tutorial_visits", args=(tutorial.pk,)) in report and "130" in report
    # The tutorial's edit screen links to it (for those who may edit it and see the visits).
    client.force_login(factories.make_user("root", superuser=True))
    edit = client.get(reverse("wagtailadmin_pages:edit", args=(tutorial.pk,))).content.decode()
    assert reverse("publishing_tutorial_visits", args=(tutorial.pk,)) in edit


def test_only_people_allowed_see_the_visits(client, tutorial, douyin):
    url = reverse("publishing_tutorial_visits", args=(tutorial.pk,))
    assert client.get(url).status_code == 302  # not signed in: to the login
    client.force_login(factories.make_user("learner", roles.STAFF_LEARNERS))
    assert client.get(url).status_code in (302, 403)
    client.force_login(factories.make_user("editor", roles.EDITORS))
    refused = client.get(url)
    assert refused.status_code in (302, 403) and "data-visits" not in refused.content.decode()
    assert client.get(reverse("publishing_visits_report")).status_code in (302, 403)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=(tutorial.pk,))).content.decode()
    assert url not in edit


def test_the_chart_escapes_names_and_draws_one_line_per_channel():
    today = timezone.localdate()
    days = [today - timedelta(days=n) for n in range(2, -1, -1)]
    svg = line_chart_svg(days=days, series=[("<b>x</b>", [0, 3, 1]), ("抖音", [2, 0, 0])], title="t")
    assert svg.count("<polyline") == 2 and "<b>" not in svg and "&lt;b&gt;" in svg
    assert svg.count("<circle") == 3


def test_a_page_the_visitor_may_not_see_counts_nothing(client, tutorial, douyin):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(page=tutorial, restriction_type=PageViewRestriction.PASSWORD, password="x")
    response = client.get(tutorial.url, {"ch": "douyin"})
    assert response.status_code == 200 and 'name="password"' in response.content.decode()
    assert not ChannelVisit.objects.exists()
