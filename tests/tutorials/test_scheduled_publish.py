"""Wagtail's publish_scheduled goes on past a tutorial the publish guard stops, and reports that one."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageLogEntry

from tests import factories
from tutorials.models import PUBLISH_BLOCKED, TutorialPage

pytestmark = pytest.mark.django_db


def _schedule(page: TutorialPage) -> None:
    revision = page.get_latest_revision()
    revision.approved_go_live_at = timezone.now() - datetime.timedelta(minutes=1)
    revision.save(update_fields=["approved_go_live_at"])


def test_one_blocked_tutorial_does_not_stop_the_others(tutorial_index, caplog):
    blocked = factories.make_tutorial(tutorial_index, title="有未审字幕的教程", publish=False)
    blocked = factories.attach_video(blocked, factories.make_video(status="processing"), step=0)
    ready = factories.make_tutorial(tutorial_index, title="可以上线的教程", publish=False)
    _schedule(blocked)
    _schedule(ready)

    call_command("publish_scheduled")

    assert TutorialPage.objects.get(pk=ready.pk).live
    assert not TutorialPage.objects.get(pk=blocked.pk).live
    entry = PageLogEntry.objects.get(page=blocked, action=PUBLISH_BLOCKED)
    assert "操作演示" in entry.data["reason"]
    assert any(f"page {blocked.pk} blocked" in record.getMessage() for record in caplog.records)
    # It stays due, so the next run tries it again once the video is ready.
    assert blocked.get_latest_revision().approved_go_live_at is not None
