"""Every change that alters what citizens may find reaches the index through the outbox (and the database search
entries), on a real node; a document the cluster refuses waits alone and is shown to editors."""

import dataclasses
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import PageViewRestriction

from cms import roles
from search.models import FallbackEntry, IndexOutbox
from tests import factories
from tutorials.models import TutorialIndexPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def cluster(settings, es_url, fresh_prefix):
    settings.ELASTICSEARCH_URL = es_url
    settings.ELASTICSEARCH_INDEX_PREFIX = fresh_prefix
    return fresh_prefix


def found(client, q: str, **params) -> list[dict]:
    data = client.get(reverse("search_api"), {"q": q, **params}).json()
    assert data["reduced_mode"] is False
    return data["results"]


def test_moving_a_tutorial_index_moves_its_tutorials_in_the_index(
    client, cluster, site_pages, django_capture_on_commit_callbacks
):
    home, index = site_pages
    with django_capture_on_commit_callbacks(execute=True):
        page = factories.make_tutorial(index, title="办理居住证", summary="新市民在网上申请居住证。")
        other = home.add_child(instance=TutorialIndexPage(title="新办事指南", slug="guides"))
    assert found(client, "居住证")[0]["url"].endswith(page.url)
    with django_capture_on_commit_callbacks(execute=True):
        index.move(other, pos="last-child")
    page.refresh_from_db()
    assert "/guides/" in page.url
    assert found(client, "居住证")[0]["url"].endswith(page.url)
    assert not IndexOutbox.objects.exists()


def test_moving_a_tutorial_reaches_the_index(client, cluster, site_pages, django_capture_on_commit_callbacks):
    home, index = site_pages
    with django_capture_on_commit_callbacks(execute=True):
        page = factories.make_tutorial(index, title="办理居住证", summary="新市民在网上申请居住证。")
        other = home.add_child(instance=TutorialIndexPage(title="新办事指南", slug="guides"))
        other.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        page.move(other, pos="last-child")
    page.refresh_from_db()
    assert found(client, "居住证")[0]["url"].endswith(f"/guides/{page.slug}/")


def test_renaming_a_category_or_its_slug_reaches_the_index(
    client, cluster, tutorial_index, django_capture_on_commit_callbacks
):
    category = factories.make_category()
    with django_capture_on_commit_callbacks(execute=True):
        page = factories.make_tutorial(tutorial_index, title="查询社保缴费记录", category=category)
        video = factories.make_video(subtitles="approved", cues=[(1.0, 3.0, "点开缴费明细就能看到每个月")])
        page = factories.attach_video(page, video)
        page.get_latest_revision().publish()
    assert found(client, "缴费", category="shebao")[0]["category"] == "社保"
    with django_capture_on_commit_callbacks(execute=True):
        category.name, category.slug = "社会保障", "social-security"
        category.save()
    assert found(client, "缴费", category="shebao") == []
    [hit] = found(client, "缴费", category="social-security")
    assert hit["category"] == "社会保障"
    # The transcript lines carry the category too (for the filter).
    [spoken] = found(client, "缴费明细", category="social-security")
    assert spoken["spoken"] and spoken["spoken"][0]["text"]


def test_restricting_viewers_takes_tutorials_out_of_search_and_back(
    client, cluster, settings, tutorial_index, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = factories.make_tutorial(tutorial_index, title="办理居住证", summary="新市民在网上申请居住证。")
    assert found(client, "居住证") and FallbackEntry.objects.filter(page=page).exists()
    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(page=tutorial_index, restriction_type="login")
    assert found(client, "居住证") == []
    assert not FallbackEntry.objects.filter(page=page).exists()  # nor in the database search
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    assert found(client, "居住证")[0]["title"] == "办理居住证"
    assert FallbackEntry.objects.filter(page=page).exists()


def _published_with_video(index, django_capture_on_commit_callbacks, cues):
    video = factories.make_video(subtitles="approved", cues=cues, duration=90)
    with django_capture_on_commit_callbacks(execute=True):
        page = factories.make_tutorial(index, title="提取住房公积金", summary="租房也能提取。")
        page = factories.attach_video(page, video)
        page.get_latest_revision().publish()
    return page, video


def test_deleting_a_video_takes_its_spoken_lines_out(
    client, cluster, tutorial_index, django_capture_on_commit_callbacks
):
    page, video = _published_with_video(
        tutorial_index, django_capture_on_commit_callbacks, [(83.0, 86.0, "点击右上角的蓝色按钮")]
    )
    assert found(client, "右上角的蓝色按钮")[0]["spoken"]
    with django_capture_on_commit_callbacks(execute=True):
        video.delete()
    results = found(client, "右上角的蓝色按钮")
    assert all(not hit["spoken"] for hit in results)
    assert found(client, "住房公积金")[0]["title"] == "提取住房公积金"  # the tutorial itself stays


def test_replaced_subtitles_reach_the_index_through_the_reference_index(
    client, cluster, tutorial_index, django_capture_on_commit_callbacks
):
    from wagtail.models import ReferenceIndex

    page, video = _published_with_video(
        tutorial_index, django_capture_on_commit_callbacks, [(83.0, 86.0, "点击右上角的蓝色按钮")]
    )
    assert ReferenceIndex.get_references_to(video).filter(object_id=str(page.pk)).exists()
    # Many other live tutorials: none of them is read to find the one that shows the video.
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            factories.make_tutorial(tutorial_index, title=f"其他教程{n}")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        factories.approve_subtitles(video, cues=[{"start": 10.0, "end": 14.0, "text": "上传租房合同的照片"}])
    assert callbacks  # the search work was queued, not done in the request
    assert all(not hit["spoken"] for hit in found(client, "右上角的蓝色按钮"))
    [hit] = found(client, "租房合同的照片")
    assert hit["title"] == "提取住房公积金" and hit["spoken"][0]["at"] == "00:10"


def test_subtitle_task_reads_the_reference_index_not_every_page(tutorial_index, django_assert_max_num_queries):
    from search.selectors import tutorial_ids_using_video

    video = factories.make_video(subtitles="approved")
    page = factories.attach_video(factories.make_tutorial(tutorial_index, title="用视频的教程"), video)
    page.get_latest_revision().publish()
    for n in range(8):
        factories.make_tutorial(tutorial_index, title=f"其他教程{n}")
    with django_assert_max_num_queries(4):
        assert tutorial_ids_using_video(video_id=video.pk) == [page.pk]


def test_a_refused_document_waits_alone_and_is_shown_with_its_reason(
    client, cluster, settings, tutorial_index, django_capture_on_commit_callbacks, monkeypatch
):
    from search import selectors

    real = selectors.tutorial_data
    poisoned = {"坏掉的教程"}

    def tutorial_data(page):
        data = real(page)
        # A value the index's integer field refuses: the cluster answers 400 for this one document.
        return dataclasses.replace(data, popularity="很多") if page.title in poisoned else data

    monkeypatch.setattr(selectors, "tutorial_data", tutorial_data)
    with django_capture_on_commit_callbacks(execute=True):
        first = factories.make_tutorial(tutorial_index, title="办理居住证", summary="新市民在网上申请居住证。")
    with django_capture_on_commit_callbacks(execute=True):
        bad = factories.make_tutorial(tutorial_index, title="坏掉的教程", summary="社保卡挂失。")
        good = factories.make_tutorial(tutorial_index, title="提取住房公积金", summary="租房也能提取。")
    # The others drained; the refused one waits with its reason and a next attempt.
    assert found(client, "住房公积金")[0]["title"] == good.title
    assert found(client, "居住证")[0]["title"] == first.title
    kept = IndexOutbox.objects.get()
    assert kept.page_id == bad.pk and kept.attempts == 1
    assert kept.last_error.startswith("400 document_parsing_exception") and "popularity" in kept.last_error
    assert kept.retry_at > timezone.now() + timedelta(seconds=30)

    # Editors see it, with the reason, in Chinese or English.
    client.force_login(factories.make_user("editor", roles.EDITORS))
    report = client.get(reverse("search_index_problems")).content.decode()
    assert "坏掉的教程" in report and escape(kept.last_error) in report
    client.logout()

    # Another change drains the outbox again: the refused one is not retried before its time...
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_tutorial(tutorial_index, title="激活医保电子凭证")
    assert IndexOutbox.objects.get().attempts == 1
    # On a real queue, a drain that is refused again books the next try for the (longer) retry time.
    from django_tasks_db.models import DBTaskResult

    from search.services import outbox_drain

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "search"]}}
    IndexOutbox.objects.update(retry_at=timezone.now() - timedelta(seconds=1))
    assert outbox_drain()["refused"] == 1
    kept = IndexOutbox.objects.get()
    assert kept.attempts == 2 and kept.retry_at > timezone.now() + timedelta(seconds=100)
    booked = DBTaskResult.objects.get(task_path="search.tasks.search_outbox_drain")
    assert booked.run_after == kept.retry_at
    # ...and when its time comes (here: the cause fixed and the time moved), it is retried alone and indexed.
    poisoned.clear()
    IndexOutbox.objects.update(retry_at=timezone.now() - timedelta(seconds=1))
    assert outbox_drain()["applied"] == 1
    assert not IndexOutbox.objects.exists()
    assert found(client, "社保卡挂失")[0]["title"] == "坏掉的教程"


def test_refused_documents_back_off():
    from search.services.outbox import document_retry_delay

    delays = [document_retry_delay(n).total_seconds() for n in (1, 2, 3, 10, 30)]
    assert delays[:3] == [60, 120, 240] and delays[-1] == 6 * 3600


def test_index_problems_are_for_staff_only(client):
    client.force_login(factories.make_user("learner", roles.STAFF_LEARNERS))
    assert client.get(reverse("search_index_problems")).status_code in (302, 403)
