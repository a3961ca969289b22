"""Why a package is out of date is kept as data and said in each reader's language: the admin panel, the package
list and build panel, the blocking message and the e-mail; rows marked before keep showing their stored text."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from cms import roles
from publishing.models import Package
from tests import factories
from tests.publishing.package_helpers import channel, tutorial_with_steps

pytestmark = pytest.mark.django_db

ENGLISH = "was changed and republished on"
CHINESE = "修改并重新发布；素材包仍是之前的版本"


def officer(username: str, language: str):
    user = factories.make_user(username, roles.PUBLICITY_OFFICERS)
    user.email = f"{username}@example.gov.cn"
    user.save()
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


def built_package(tutorial, user) -> Package:
    """A package built from the tutorial's current revision (its files do not matter here)."""
    package = Package.objects.create(
        tutorial=tutorial,
        channel=channel("poster"),
        created_by=user,
        live=False,
        build_status=Package.BuildStatus.READY,
        tutorial_revision_id=tutorial.live_revision_id,
    )
    package.save_revision(user=user)
    return package


def republish(tutorial):
    latest = tutorial.get_latest_revision_as_object()
    raw = latest.steps.raw_data
    raw[0]["value"]["title"] = "打开新版粤省事小程序"
    latest.steps = raw
    latest.save_revision().publish()


def admin_pages(user, package) -> dict[str, str]:
    client = Client()
    client.force_login(user)
    return {
        "dashboard": client.get(reverse("wagtailadmin_home")).content.decode(),
        "list": client.get(reverse("wagtailsnippets_publishing_package:list")).content.decode(),
        "edit": client.get(reverse("wagtailsnippets_publishing_package:edit", args=[package.pk])).content.decode(),
        "status": client.get(reverse("package_status", args=[package.pk])).json()["out_of_date_reason"],
    }


def test_one_out_of_date_package_reads_in_each_readers_language(tutorial_index, django_capture_on_commit_callbacks):
    reads_english, reads_chinese = officer("officer_en", "en"), officer("officer_zh", "zh-hans")
    tutorial = tutorial_with_steps(tutorial_index)
    package = built_package(tutorial, reads_english)

    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        republish(tutorial)  # the marking task runs in Chinese
    package.refresh_from_db()
    tutorial.refresh_from_db()
    assert package.out_of_date and package.out_of_date_code == Package.OutOfDate.TUTORIAL_REPUBLISHED
    assert package.out_of_date_revision_id == tutorial.live_revision_id
    assert package.out_of_date_reason == ""  # nothing stored in the marking task's language

    with translation.override("en"):
        english = package.out_of_date_message()
        blocked_en = package.publication_blocking_message()
    with translation.override("zh-hans"):
        chinese = package.out_of_date_message()
        blocked_zh = package.publication_blocking_message()
    assert ENGLISH in english and tutorial.title in english and CHINESE not in english
    assert CHINESE in chinese and tutorial.title in chinese and ENGLISH not in chinese
    assert blocked_en.startswith("This package is out of date") and english in blocked_en
    assert blocked_zh.startswith("这个素材包已过时") and chinese in blocked_zh

    seen_en, seen_zh = admin_pages(reads_english, package), admin_pages(reads_chinese, package)
    for page in ("dashboard", "list", "edit"):
        assert ENGLISH in seen_en[page] and CHINESE not in seen_en[page], page
        assert CHINESE in seen_zh[page] and ENGLISH not in seen_zh[page], page
    assert seen_en["status"] == english and seen_zh["status"] == chinese

    by_address = {address: message for message in mail.outbox for address in message.to}
    assert sorted(by_address) == ["officer_en@example.gov.cn", "officer_zh@example.gov.cn"]
    assert by_address["officer_en@example.gov.cn"].subject.startswith("Channel package out of date")
    assert english in by_address["officer_en@example.gov.cn"].body
    assert by_address["officer_zh@example.gov.cn"].subject.startswith("渠道素材包已过时")
    assert chinese in by_address["officer_zh@example.gov.cn"].body


def test_a_rebuild_clears_the_reason(tutorial_index, django_capture_on_commit_callbacks):
    from publishing.services import package_build

    user = officer("officer_en", "en")
    tutorial = tutorial_with_steps(tutorial_index)
    package = built_package(tutorial, user)
    with django_capture_on_commit_callbacks(execute=True):
        republish(tutorial)
    package = package_build(package_id=package.pk)
    assert package.build_status == Package.BuildStatus.READY, package.failure_reason
    package.refresh_from_db()
    assert not package.out_of_date and package.out_of_date_message() == ""
    assert (package.out_of_date_code, package.out_of_date_at, package.out_of_date_revision_id) == ("", None, None)


def test_packages_marked_before_keep_showing_their_stored_reason(tutorial_index):
    reader = officer("officer_en", "en")
    stored = "“查询社保缴费记录”已于 2026-01-05 09:30 修改并重新发布；素材包仍是之前的版本。"
    package = built_package(tutorial_with_steps(tutorial_index), reader)
    Package.objects.filter(pk=package.pk).update(out_of_date=True, out_of_date_reason=stored)
    package.refresh_from_db()
    for language in ("en", "zh-hans"):
        with translation.override(language):
            assert package.out_of_date_message() == stored
            assert stored in package.publication_blocking_message()
    assert stored in admin_pages(reader, package)["dashboard"]
