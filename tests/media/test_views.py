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


def test_each_step_plays_and_transcribes_only_its_chapter(client, published_with_video):
    from django.core.files.base import ContentFile

    from media.models import VideoAsset

    page, video = published_with_video
    video.poster.save("p.jpg", ContentFile(b"video poster"), save=False)
    VideoAsset.objects.filter(pk=video.pk).update(poster=video.poster.name)
    html = BeautifulSoup(client.get(page.url).content, "html.parser")
    # With JavaScript on, <noscript> keeps the player inert until its step opens (tests/e2e/test_step_video.py).
    player = html.select_one("#step-1 noscript[data-player-markup] video")
    assert player.has_attr("controls") and player.has_attr("playsinline") and player["preload"] == "none"
    assert player["src"] == reverse("video_phone", args=(video.pk,)) + "#t=0,60"
    assert player["poster"] == reverse("video_chapter_poster", args=(video.pk, 0))
    track = player.select_one("track[kind=subtitles]")
    assert track.has_attr("default") and track["srclang"] == "zh-CN"
    assert track["src"] == reverse("video_subtitles", args=(video.pk, "vtt")) + "?start=0&end=60"
    assert player.select_one("track[kind=chapters]") is None
    lines = html.select("#step-1 .transcript__line")
    assert [line["href"] for line in lines] == [f"#t=0&v={video.pk}", f"#t=2.5&v={video.pk}"]
    assert html.select_one("#step-1 .transcript__text").get_text() == "打开手机上的应用点击查询"
    second = html.select_one("#step-2 video")
    assert second["src"].endswith("#t=60,90") and second["poster"].endswith("/poster-6000.jpg")
    assert [line.get_text() for line in html.select("#step-2 .transcript__line")] == ["查看缴费记录"]
    assert html.select_one("#step-2 [data-player]")["data-start"] == "60"
    assert "automatically" not in html.get_text() and "自动" not in html.get_text()
    # Each transcript is its own named region.
    names = [section["aria-labelledby"] for section in html.select("section.transcript")]
    assert len(set(names)) == len(names) == 2


def test_sub_second_chapters_and_an_explicit_end(client, tutorial_index):
    video = factories.make_video(
        subtitles="approved",
        cues=[(0.0, 36.43, "第一步"), (36.43, 40.0, "第二步\n认准开发\n者"), (70.0, 75.16, "尾声")],
        duration=90,
    )
    page = factories.make_tutorial(tutorial_index, publish=False)
    page = factories.attach_video(page, video, step=0)
    page = factories.attach_video(page, video, step=1, start=36.43)
    raw = page.steps.raw_data
    raw[1]["value"]["video_end"] = 69.5
    page.steps = raw
    page.save_revision().publish()
    page.refresh_from_db()
    html = BeautifulSoup(client.get(page.url).content, "html.parser")
    assert html.select_one("#step-1 video")["src"].endswith("#t=0,36.43")
    assert html.select_one("#step-2 video")["src"].endswith("#t=36.43,69.5")
    assert html.select_one("#step-2 track")["src"].endswith("?start=36.43&end=69.5")
    # The subtitles' hard line breaks are joined back into the sentence.
    assert [line.get_text() for line in html.select("#step-2 .transcript__line")] == ["第二步认准开发者"]
    assert [line.get_text() for line in html.select("#step-1 .transcript__line")] == ["第一步"]


def test_elder_mode_folds_the_transcript_behind_show_text(client, published_with_video):
    page, _ = published_with_video
    client.cookies["bangban_mode"] = "elder"
    html = BeautifulSoup(client.get(page.url, HTTP_ACCEPT_LANGUAGE="zh-hans").content, "html.parser")
    folded = html.select_one("#step-1 details.transcript")
    assert folded is not None and not folded.has_attr("open")
    assert folded.select_one("summary").get_text().startswith("看文字")
    assert folded.select(".transcript__line")


def test_chapter_subtitles_keep_only_the_chapter_cut_to_it(client, published_with_video):
    _, video = published_with_video
    url = reverse("video_subtitles", args=(video.pk, "vtt"))
    body = client.get(url + "?start=2&end=60").content.decode()
    assert "00:00:02.000 --> 00:00:02.500" in body and "00:00:02.500 --> 00:00:05.000" in body
    assert "查看缴费记录" not in body
    tail = client.get(url + "?start=60").content.decode()
    assert "打开手机上的应用" not in tail and "00:01:23.000 --> 00:01:26.000" in tail
    for bad in ("?start=abc", "?start=-1", "?start=5&end=5", "?start=nan", "?end=inf"):
        response = client.get(url + bad)
        assert response.status_code == 400, bad
        assert "seconds" in response.content.decode() or "after start" in response.content.decode()


def test_chapter_poster_falls_back_to_the_video_poster(client, published_with_video):
    from django.core.files.base import ContentFile

    from media.models import VideoAsset

    _, video = published_with_video
    url = reverse("video_chapter_poster", args=(video.pk, 6000))
    assert client.get(url).status_code == 404  # no poster at all yet
    video.poster.save("p.jpg", ContentFile(b"video poster"), save=False)
    VideoAsset.objects.filter(pk=video.pk).update(poster=video.poster.name)
    assert b"".join(client.get(url).streaming_content) == b"video poster"
    name = services.chapter_poster_name(asset_id=video.pk, start=60)
    video.poster.storage.save(name, ContentFile(b"chapter poster"))
    assert b"".join(client.get(url).streaming_content) == b"chapter poster"


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
