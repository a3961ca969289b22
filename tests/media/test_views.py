import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from cms import roles
from media import services
from tests import factories

pytestmark = pytest.mark.django_db

CUES = [(0.0, 2.5, "打开手机上的应用"), (2.5, 5.0, "点击查询"), (83.0, 86.0, "查看缴费记录")]


@pytest.fixture
def published_with_video(tutorial_index):
    video = factories.make_video(subtitles="approved", cues=CUES, duration=90)
    page = factories.make_tutorial(tutorial_index, publish=False)
    page = factories.attach_video(page, video, step=0)
    page = factories.attach_video(page, video, step=1, start=60)
    page.get_latest_revision().publish()
    page.refresh_from_db()
    return page, video


def test_subtitles_as_webvtt_srt_and_text(client, published_with_video):
    _, video = published_with_video
    vtt = client.get(reverse("video_subtitles", args=(video.pk, "vtt")))
    assert vtt.status_code == 200 and vtt["Content-Type"].startswith("text/vtt")
    body = vtt.content.decode()
    assert body.startswith("WEBVTT") and "00:01:23.000 --> 00:01:26.000" in body and "查看缴费记录" in body
    srt = client.get(reverse("video_subtitles", args=(video.pk, "srt"))).content.decode()
    assert "00:01:23,000 --> 00:01:26,000" in srt
    txt = client.get(reverse("video_subtitles", args=(video.pk, "txt")) + "?download=1")
    assert txt.content.decode().splitlines() == ["打开手机上的应用", "点击查询", "查看缴费记录"]
    assert "attachment" in txt["Content-Disposition"]
    assert client.get(reverse("video_subtitles", args=(video.pk, "exe"))).status_code == 404


def test_unprocessed_video_has_no_public_files(client):
    video = factories.make_video(status="processing")
    assert client.get(reverse("video_subtitles", args=(video.pk, "vtt"))).status_code == 404


def test_chapters_come_from_the_steps(client, published_with_video):
    page, video = published_with_video
    body = client.get(reverse("video_chapters", args=(video.pk, page.pk))).content.decode()
    assert "00:00:00.000 --> 00:01:00.000" in body and "1. 第1步：打开应用" in body
    assert "00:01:00.000 --> 00:01:30.000" in body and "2. 第2步：打开应用" in body


def test_player_with_default_track_and_transcript(client, published_with_video):
    page, video = published_with_video
    html = BeautifulSoup(client.get(page.url).content, "html.parser")
    player = html.select_one("#step-1 video")
    assert player.has_attr("controls") and player.has_attr("playsinline")
    track = player.select_one("track[kind=subtitles]")
    assert track.has_attr("default") and track["srclang"] == "zh-CN"
    assert track["src"] == reverse("video_subtitles", args=(video.pk, "vtt"))
    assert player.select_one("track[kind=chapters]") is not None
    lines = html.select("#step-1 .transcript__line")
    assert [line["href"] for line in lines] == [f"#t=0&v={video.pk}", f"#t=2&v={video.pk}", f"#t=83&v={video.pk}"]
    assert lines[2].select_one(".transcript__time").get_text() == "01:23"
    assert html.select_one("#step-2 source")["src"].endswith("#t=60")
    assert "automatically" not in html.get_text() and "自动" not in html.get_text()


def test_unreviewed_subtitles_are_not_in_the_preview(client, tutorial_index):
    video = factories.make_video(subtitles="auto", machine_made=True)
    page = factories.attach_video(factories.make_tutorial(tutorial_index, publish=False), video)
    client.force_login(factories.make_user("root", superuser=True))
    response = client.get(reverse("wagtailadmin_pages:view_draft", args=(page.pk,)))
    html = BeautifulSoup(response.content.decode(), "html.parser")
    assert html.select_one("[data-subtitles-pending]") is not None
    assert html.select_one("track[kind=subtitles]") is None and not html.select(".transcript__line")


def machine_made_label(client, page) -> bool:
    html = BeautifulSoup(client.get(page.url).content, "html.parser")
    return html.select_one("#step-1 [data-machine-made]") is not None


def test_machine_made_label_only_while_the_public_text_is_machine_output(client, tutorial_index):
    video = factories.make_video(subtitles="auto", cues=CUES, machine_made=True, duration=90)
    # Approved unchanged: public, and still the speech recogniser's words.
    factories.approve_subtitles(video)
    page = factories.make_tutorial(tutorial_index, publish=False)
    page = factories.attach_video(page, video)
    page.get_latest_revision().publish()
    page.refresh_from_db()
    assert machine_made_label(client, page)
    # A corrected working copy changes nothing until it is approved ...
    corrected = [{"start": s, "end": e, "text": t} for s, e, t in CUES]
    corrected[1]["text"] = "点击社保查询"
    editor = factories.make_user("fixer", roles.EDITORS)
    services.subtitles_save(asset=video, cues=corrected, user=editor, submit=True)
    assert machine_made_label(client, page)
    # ... and once approved by a second person the text is no longer machine output.
    services.subtitles_approve(asset=video, user=factories.make_user("checker", roles.MODERATORS))
    html = BeautifulSoup(client.get(page.url).content, "html.parser")
    assert html.select_one("[data-machine-made]") is None
    assert "点击社保查询" in html.select_one("#step-1 .transcript").get_text()
