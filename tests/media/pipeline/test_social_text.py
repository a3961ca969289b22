"""Captions, the Weibo text, the WeChat article and tagged links."""

from __future__ import annotations

import dataclasses
import re

import pytest

from media.pipeline.captions import article_html, caption_text, weibo_text
from media.pipeline.social import CHANNELS, PackageSpec, StepSpec, channel_spec, tagged_url
from media.pipeline.types import PipelineError

URL = "https://bangban.example.gov.cn/tutorials/shebao/"
SPEC = PackageSpec(
    title="查询社保缴费记录",
    url=URL,
    summary="不用跑大厅，三步在手机上查到自己的社保缴费记录。" * 40,
    hashtags=("社保", "社保", "政务服务", "手机办事", "帮办", "长辈", "数字生活"),
    steps=(
        StepSpec(1, "打开“粤省事”小程序", text="在微信里搜索“粤省事”。"),
        StepSpec(2, "点击<社保缴费记录>", text="第二行。\n第三行。"),
    ),
)


@pytest.mark.parametrize("slug", [slug for slug, spec in CHANNELS.items() if spec.caption_max_chars])
def test_caption_within_the_channel_limits(slug: str) -> None:
    channel = CHANNELS[slug]
    text = caption_text(SPEC, channel=channel)
    tags = re.findall(r"#[^\s#]+#?", text)

    assert len(text) <= channel.caption_max_chars
    assert len(tags) <= channel.max_hashtags
    assert len(tags) == len(set(tags))
    assert text.startswith("查询社保缴费记录"[: channel.title_max_chars])
    assert (tagged_url(URL, slug) in text) == channel.link_in_caption


def test_caption_hashtags_follow_the_channel_style() -> None:
    douyin = caption_text(SPEC, channel=CHANNELS["douyin"])
    weibo = caption_text(SPEC, channel=CHANNELS["weibo"])
    assert "#社保 #政务服务" in douyin
    assert "#社保# #政务服务#" in weibo


def test_tight_limit_shortens_the_summary_first_then_drops_hashtags() -> None:
    tight = dataclasses.replace(CHANNELS["douyin"], caption_max_chars=40)
    text = caption_text(SPEC, channel=tight)
    assert len(text) <= 40
    assert text.startswith("查询社保缴费记录")
    assert "…" in text
    assert 0 < text.count("#") < 5


def test_poster_takes_no_caption() -> None:
    with pytest.raises(PipelineError, match="takes no caption"):
        caption_text(SPEC, channel=CHANNELS["poster"])


def test_weibo_text_has_title_steps_link_and_topics() -> None:
    text = weibo_text(SPEC, channel=CHANNELS["weibo"])
    assert text.startswith("【查询社保缴费记录】")
    assert "1. 打开“粤省事”小程序" in text
    assert tagged_url(URL, "weibo") in text
    assert "#社保#" in text
    assert len(text) <= CHANNELS["weibo"].caption_max_chars


def test_article_html_uses_inline_styles_only_and_escapes_text() -> None:
    html = article_html(SPEC, channel="wechat-article", images={1: "https://mmbiz.example/1.png"})

    assert "<style" not in html and "<script" not in html and "class=" not in html
    assert 'style="' in html
    assert "点击&lt;社保缴费记录&gt;" in html
    assert html.count("<h2") == 2
    assert '<img src="https://mmbiz.example/1.png"' in html and html.count("<img") == 1
    assert f'href="{tagged_url(URL, "wechat-article")}"' in html
    assert '<p style="margin:0 0 8px;">第三行。</p>' in html


def test_tagged_url_replaces_an_old_tag_and_keeps_query_and_fragment() -> None:
    assert tagged_url(URL + "?ch=weibo&a=1#step-2", "douyin") == URL + "?a=1&ch=douyin#step-2"


def test_tagged_url_refuses_a_relative_link() -> None:
    with pytest.raises(PipelineError, match="full http"):
        tagged_url("/tutorials/shebao/", "douyin")


def test_unknown_channel_is_named() -> None:
    with pytest.raises(PipelineError, match="Unknown channel 'tiktok'"):
        channel_spec("tiktok")
    assert channel_spec("kuaishou").cover_size == (1080, 1920)
