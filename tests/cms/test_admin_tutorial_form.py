"""The tutorial editor explains itself: help texts, category badges, an optional tip, readable slugs."""

import re

import pytest
from django.urls import reverse

from cms import roles
from tests import factories
from tests.page_forms import page_form
from tutorials.forms import pinyin_slug
from tutorials.models import TutorialPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, tutorial_index):
    user = factories.make_user("editor", roles.EDITORS)
    client.force_login(user)
    return user


def create(client, index, *, title: str, slug: str, tip: dict | None = None):
    category = factories.make_category()
    data = page_form(
        title=title, summary="一句话说明。", alt="手机屏幕", category_id=category.pk, image_id=factories.make_image().pk
    )
    data["slug"] = slug
    if tip is not None:
        data["steps-0-value-tip-kind"] = tip["kind"]
        data["steps-0-value-tip-text"] = tip["text"]
    return client.post(reverse("wagtailadmin_pages:add", args=("tutorials", "tutorialpage", index.pk)), data)


def test_pinyin_slug():
    assert pinyin_slug("查询社保缴费记录") == "cha-xun-she-bao-jiao-fei-ji-lu"
    assert pinyin_slug("办理ETC卡") == "ban-li-etc-ka"
    assert len(pinyin_slug("查询" * 60)) <= 80


def test_a_chinese_title_gets_a_pinyin_slug(client, editor, tutorial_index):
    # Wagtail's editor copies the title into the slug as it is: 查询社保缴费记录.
    response = create(client, tutorial_index, title="查询社保缴费记录", slug="查询社保缴费记录")
    assert response.status_code == 302, response.content.decode()[:2000]
    create(client, tutorial_index, title="查询社保缴费记录", slug="")
    slugs = sorted(TutorialPage.objects.values_list("slug", flat=True))
    assert slugs == ["cha-xun-she-bao-jiao-fei-ji-lu", "cha-xun-she-bao-jiao-fei-ji-lu-2"]


def test_a_slug_the_editor_chose_stays(client, editor, tutorial_index):
    create(client, tutorial_index, title="查询社保缴费记录", slug="shebao-jilu")
    assert TutorialPage.objects.get().slug == "shebao-jilu"


def test_a_published_slug_never_changes(client, editor, tutorial_index):
    page = factories.make_tutorial(tutorial_index, title="查询社保缴费记录")
    TutorialPage.objects.filter(pk=page.pk).update(slug="查询社保缴费记录")
    page.refresh_from_db()
    data = page_form(
        title=page.title,
        summary=page.summary,
        alt="手机屏幕",
        category_id=page.category_id,
        image_id=factories.make_image().pk,
    )
    data["slug"] = "查询社保缴费记录"
    response = client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), data)
    assert response.status_code == 302
    assert TutorialPage.objects.get(pk=page.pk).get_latest_revision_as_object().slug == "查询社保缴费记录"


def test_the_editor_explains_the_fields_and_shows_category_badges(client, editor, tutorial_index):
    factories.make_category()
    from tutorials.models import ServiceCategory

    ServiceCategory.objects.update(description="养老、医疗、失业保险的缴费和待遇")
    html = client.get(
        reverse("wagtailadmin_pages:add", args=("tutorials", "tutorialpage", tutorial_index.pk))
    ).content.decode()
    for help_text in ("读者照着做完能办成什么事", "主要写给谁看", "第一次办理的人做完全部步骤", "真实界面一致的日期"):
        assert help_text in html
    assert re.search(r'type="radio" name="category"', html)
    assert re.search(r'category-choice__badge">保</span>\s*<strong>社保</strong> — 养老、医疗、失业保险', html)


def test_the_tip_is_optional_and_its_kind_is_not_required(client, editor, tutorial_index):
    tip = {"kind": "", "text": ""}
    response = create(client, tutorial_index, title="办理居住证", slug="ban-li-ju-zhu-zheng", tip=tip)
    assert response.status_code == 302, response.content.decode()[:2000]
    [step] = TutorialPage.objects.get().get_latest_revision_as_object().steps
    assert step.value["tip"]["kind"] == "tip"
    assert step.value["tip"]["text"] == ""

    from tutorials.blocks import TipBlock

    kind = TipBlock().child_blocks["kind"]
    assert kind.required is False
    assert "" not in [value for value, _label in kind.field.choices]
