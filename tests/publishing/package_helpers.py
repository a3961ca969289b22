"""Tutorials, videos and channels for the package tests; video files made on the spot by ffmpeg."""

import subprocess
from pathlib import Path

from django.core.files import File

from publishing.demo import seed_channels
from publishing.models import Channel
from tests import factories

STEP_TITLES = ["打开粤省事小程序", "进入社保服务页面", "查看缴费记录结果"]


def ffmpeg_clip(path: Path, *, seconds: float = 4.0) -> Path:
    """A 640x360 H.264/AAC clip with a tone, like a short screen recording."""
    if not path.exists():
        subprocess.run(
            ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
             "-f", "lavfi", "-i", f"testsrc2=size=640x360:rate=25:duration={seconds}",
             "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={seconds}",
             "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
             "-t", str(seconds), str(path)],
            check=True,
        )  # fmt: skip
    return path


def real_video(clip: Path, *, subtitles: str = "approved", cues=None):
    """A processed video row whose file is ``clip``, with approved (or working-copy) subtitles."""
    video = factories.make_video(
        subtitles=subtitles,
        duration=4.0,
        cues=cues or [(0.2, 1.8, "打开小程序"), (2.1, 3.8, "点击社保服务")],
    )
    with open(clip, "rb") as handle:
        video.file.save("clip.mp4", File(handle), save=False)
    video.save(update_fields=["file"])
    return video


def tutorial_with_steps(index, *, title: str = "查询社保缴费记录", summary: str = "用手机查询本人的社保缴费记录。"):
    page = factories.make_tutorial(index, title=title, steps=len(STEP_TITLES), publish=False, summary=summary)
    latest = page.get_latest_revision_as_object()
    raw = latest.steps.raw_data
    for block, step_title in zip(raw, STEP_TITLES, strict=True):
        block["value"]["title"] = step_title
    latest.steps = raw
    latest.save_revision().publish()
    page.refresh_from_db()
    return page


def with_video(page, video, *, starts=(0.0, 2.0)):
    """Steps 1 and 2 show the two halves of ``video``; the page is republished."""
    latest = page.get_latest_revision_as_object()
    raw = latest.steps.raw_data
    for number, start in enumerate(starts):
        raw[number]["value"]["video"] = video.pk
        raw[number]["value"]["video_start"] = start
    latest.steps = raw
    latest.save_revision().publish()
    page.refresh_from_db()
    return page


def channel(slug: str) -> Channel:
    seed_channels()
    return Channel.objects.get(slug=slug)


def new_package(tutorial, slug: str = "poster", user=None):
    """A package of ``tutorial`` for the channel ``slug``, saved with its first revision, not built."""
    from publishing.models import Package

    package = Package(tutorial=tutorial, channel=channel(slug), created_by=user, live=False)
    package.save()
    package.save_revision(user=user)
    return package


def built_package(tutorial, slug: str = "poster", user=None):
    """``new_package``, built; fails the test with the build's reason when it is not ready."""
    from publishing.models import Package
    from publishing.services import package_build

    package = package_build(package_id=new_package(tutorial, slug, user).pk)
    assert package.build_status == Package.BuildStatus.READY, package.failure_reason
    return package


def client_for(user=None):
    """A test client, signed in as ``user`` when one is given."""
    from django.test import Client

    client = Client()
    if user is not None:
        client.force_login(user)
    return client
