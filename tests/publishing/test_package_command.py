"""manage.py package_build: the same files from the command line, a progress bar, clear errors."""

import io

import pytest
from django.core.management import CommandError, call_command

from tests import factories
from tests.publishing.package_helpers import channel, tutorial_with_steps, with_video

pytestmark = pytest.mark.django_db


def test_it_builds_the_channel_files_into_a_folder(tutorial_index, tmp_path):
    tutorial = tutorial_with_steps(tutorial_index)
    channel("poster")
    out, err = io.StringIO(), io.StringIO()
    call_command("package_build", tutorial.slug, "--channel", "poster", "--out", str(tmp_path / "out"),
                 stdout=out, stderr=err)  # fmt: skip
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == ["cover.jpg", "poster-a3.pdf", "poster-a4.pdf"]
    assert "100%" in err.getvalue() and "[####" in err.getvalue()
    assert str(tmp_path / "out" / "poster-a4.pdf") in out.getvalue()


def test_the_article_folder_opens_with_its_step_pictures(tutorial_index, tmp_path):
    tutorial = tutorial_with_steps(tutorial_index)
    channel("wechat-article")
    out = io.StringIO()
    call_command("package_build", tutorial.slug, "--channel", "wechat-article", "--out", str(tmp_path / "out"),
                 stdout=out, stderr=io.StringIO())  # fmt: skip
    names = sorted(path.name for path in (tmp_path / "out").iterdir())
    assert names == sorted(
        ["article.html", "caption.txt", "cover.jpg", "long-image.png", "step-01.jpg", "step-02.jpg", "step-03.jpg"]
    )
    article = (tmp_path / "out" / "article.html").read_text(encoding="utf-8")
    assert all(f'src="{name}"' in article for name in names if name.startswith("step-"))
    assert str(tmp_path / "out" / "step-01.jpg") in out.getvalue()


@pytest.mark.parametrize(
    ("slug", "channel_name", "message"),
    [("no-such-tutorial", "poster", "No tutorial"), (None, "myspace", "No channel 'myspace'")],
)
def test_unknown_names_are_refused(tutorial_index, tmp_path, slug, channel_name, message):
    tutorial = tutorial_with_steps(tutorial_index)
    channel("poster")
    with pytest.raises(CommandError, match=message):
        call_command("package_build", slug or tutorial.slug, "--channel", channel_name, "--out", str(tmp_path))


def test_a_tutorial_without_approved_subtitles_is_refused(tutorial_index, tmp_path):
    video = factories.make_video(subtitles="approved")
    tutorial = with_video(tutorial_with_steps(tutorial_index), video)
    type(video).objects.filter(pk=video.pk).update(subtitles="auto")
    channel("douyin")
    with pytest.raises(CommandError) as error:
        call_command("package_build", tutorial.slug, "--channel", "douyin", "--out", str(tmp_path / "out"))
    assert video.title in str(error.value)
    assert not (tmp_path / "out").exists()
