import io
import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django_tasks.signals import task_enqueued
from wagtail.images.models import Image
from wagtail.models import ReferenceIndex, Site

from cms import roles
from cms.models import HomePage
from tutorials.models import ServiceCategory, TutorialIndexPage, TutorialPage

pytestmark = pytest.mark.django_db

REQUIRED = [
    "查询社保缴费记录",
    "激活医保电子凭证",
    "个人所得税年度汇算",
    "预约挂号",
    "居住证",
    "公积金",
    "港澳通行证",
    "电动",
]


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (ServiceCategory, HomePage, TutorialIndexPage, TutorialPage, Image, User)
    )


def test_seed_demo_is_complete_and_idempotent(client):
    queued = []

    def record(sender, task_result, **kwargs):
        queued.append(task_result.task.module_path)

    task_enqueued.connect(record)
    try:
        first = seed()
    finally:
        task_enqueued.disconnect(record)
    # Publishing a seeded page replaces its related-tutorial rows: a reference-index task queued for each saved row
    # would find the earlier ones gone when a worker ran it. The seed builds the reference index itself, once.
    assert "wagtail.tasks.update_reference_index_task" not in queued, queued
    page = TutorialPage.objects.live().filter(related_links__isnull=False).distinct().first()
    related = page.related_links.first().related
    assert ReferenceIndex.get_references_to(related).filter(object_id=str(page.pk)).exists()

    assert "tutorials: 10 (10 new)" in first
    after_first = counts()
    second = seed()
    assert "(0 new)" in second and "(10 new)" not in second
    assert counts() == after_first

    home = HomePage.objects.get()
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    tutorials = TutorialPage.objects.live()
    assert tutorials.count() >= 8
    titles = " ".join(tutorials.values_list("title", flat=True))
    assert all(word in titles for word in REQUIRED), titles
    for page in tutorials:
        assert len(page.steps) >= 4
        for step in page.steps:
            shots = step.value["screenshots"]
            assert shots and all(shot["alt"].strip() and shot["image"] for shot in shots)
        assert client.get(page.url).status_code == 200

    assert client.get("/").status_code == 200
    for username, group in [
        ("editor", roles.EDITORS),
        ("moderator", roles.MODERATORS),
        ("publicity", roles.PUBLICITY_OFFICERS),
        ("trainer", roles.TRAINING_MANAGERS),
        ("learner", roles.STAFF_LEARNERS),
    ]:
        user = User.objects.get(username=username)
        assert user.groups.filter(name=group).exists()
        assert user.check_password("bangban-demo")
    assert User.objects.get(username="admin").is_superuser

    # The demo video's subtitles went through the two-person review: an editor's version, approved by a moderator,
    # and shown on the public page.
    from media.models import VideoAsset
    from media.selectors import subtitle_versions

    video = VideoAsset.objects.get(title__startswith="演示视频")
    [version] = subtitle_versions(asset=video)
    assert version.edited_by.username == "editor" and version.approved_by.username == "moderator"
    shown = [page for page in tutorials if video in page.step_videos()]
    assert shown and "transcript__line" in client.get(shown[0].url).content.decode()

    # Each step's chapter starts where the narration reaches that step (a subtitle line "第N步…"), to the hundredth
    # of a second; a demo seeded with whole seconds is moved there by the next seed.
    from media.selectors import video_track

    step_lines = [cue.start for cue in video_track(asset=video).cues if re.match(r"第\d+步", cue.text)]
    demo = shown[0]
    starts = [step.value["video_start"] for step in demo.steps]
    assert starts == [round(start, 2) for start in step_lines] and any(not float(s).is_integer() for s in starts)
    old = demo.get_latest_revision_as_object()
    raw = old.steps.raw_data
    for block in raw:
        block["value"]["video_start"] = int(block["value"]["video_start"])
    old.steps = raw
    old.save_revision().publish()
    seed()
    demo.refresh_from_db()
    assert [step.value["video_start"] for step in demo.steps] == starts

    # The learner side has something to show: the demo learner's course, made of the demo tutorials.
    from django.urls import reverse

    client.force_login(User.objects.get(username="learner"))
    assert "帮群众用手机查社保" in client.get(reverse("training:my_learning")).content.decode()
