"""Builders for test data. Images are drawn with Pillow here, never committed."""

import datetime
import io
import itertools

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.models import Collection, Locale, Page, Site

from cms.models import HomePage
from tutorials.models import RelatedTutorial, ServiceCategory, TutorialIndexPage, TutorialPage

_counter = itertools.count(1)


def png_bytes(*, width: int = 360, height: int = 640, colour: str = "#2266aa") -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def make_image(*, title: str | None = None, width: int = 720, height: int = 1280) -> Image:
    title = title or f"screen-{next(_counter)}"
    return Image.objects.create(
        title=title, file=ImageFile(io.BytesIO(png_bytes(width=width, height=height)), name=f"{title}.png")
    )


def make_user(username: str, *groups: str, superuser: bool = False) -> User:
    user = User.objects.create_user(username=username, password="pw", is_superuser=superuser, is_staff=superuser)
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


def ensure_base_data() -> None:
    """Recreate what migrations put in the database, after a transactional test flushed it."""
    if Page.get_first_root_node() is not None:
        return
    from cms.signal_handlers import apply_roles

    ContentType.objects.clear_cache()
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    Page.add_root(instance=Page(title="Root", slug="root", content_type=ContentType.objects.get_for_model(Page)))
    Collection.add_root(name="Root")
    apply_roles()


def make_site() -> tuple[HomePage, TutorialIndexPage]:
    """A HomePage at the site root with a tutorial index below it."""
    ensure_base_data()
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="帮办", slug="home-test", welcome="一步一步，教您在手机上办事"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
    )
    index = home.add_child(instance=TutorialIndexPage(title="办事教程", slug="tutorials"))
    return home, index


def make_category(name: str = "社保", slug: str = "shebao", badge: str = "保") -> ServiceCategory:
    return ServiceCategory.objects.get_or_create(slug=slug, defaults={"name": name, "badge": badge})[0]


def step_value(*, title: str, text: str, image: Image, alt: str = "手机屏幕", tip: str = "", kind: str = "tip") -> dict:
    return {
        "title": title,
        "text": text,
        "screenshots": [{"image": image, "alt": alt}],
        "tip": {"kind": kind, "text": tip},
        "video": None,
    }


def make_tutorial(
    index: TutorialIndexPage,
    *,
    title: str = "查询社保缴费记录",
    category: ServiceCategory | None = None,
    steps: int = 3,
    publish: bool = True,
    owner: User | None = None,
    summary: str = "用手机查询本人的社保缴费记录。",
) -> TutorialPage:
    category = category or make_category()
    image = make_image()
    stream = [
        (
            "step",
            step_value(title=f"第{n}步：打开应用", text=f"这是第{n}步的说明。", image=image, alt=f"第{n}步的手机屏幕"),
        )
        for n in range(1, steps + 1)
    ]
    page = TutorialPage(
        title=title,
        slug=f"t-{next(_counter)}",
        summary=summary,
        category=category,
        estimated_minutes=5,
        last_reviewed=datetime.date(2026, 11, 1),
        steps=stream,
        owner=owner,
        live=False,
    )
    index.add_child(instance=page)
    revision = page.save_revision(user=owner)
    if publish:
        revision.publish()
        page.refresh_from_db()
    return page


def relate(page: TutorialPage, *others: TutorialPage) -> None:
    for order, other in enumerate(others):
        RelatedTutorial.objects.create(page=page, related=other, sort_order=order)


def make_video(
    *,
    title: str = "操作演示",
    status: str = "ready",
    subtitles: str = "auto",
    cues: list[tuple[float, float, str]] | None = None,
    duration: float = 30.0,
    machine_made: bool = False,
):
    """A video row in a given state, without running the pipeline (tests about what follows processing).

    ``subtitles``: "auto" gives a working copy awaiting review, "approved" an approved (public) version, "none" no
    subtitles. With ``machine_made`` the cues are also what speech recognition wrote.
    """
    from django.core.files.base import ContentFile

    from media.models import SubtitleTrack, VideoAsset

    asset = VideoAsset(title=title, language="zh")
    asset.file.save("demo.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42"), save=False)
    asset.rendition.save("demo-phone.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42"), save=False)
    asset.status, asset.subtitles, asset.duration, asset.has_audio = status, subtitles, duration, True
    [asset] = VideoAsset.objects.bulk_create([asset])  # no post_save: the pipeline is not what these tests are about
    rows = [list(cue) for cue in (cues or [(0.0, 2.5, "打开手机上的应用"), (2.5, 5.0, "点击查询")])]
    if subtitles != "none":
        track = SubtitleTrack(asset=asset, cues=rows, machine_cues=rows if machine_made else [], live=False)
        track.save()
        revision = track.save_revision(user=None)
        if subtitles == "approved":
            revision.publish()
        asset.refresh_from_db()
    return asset


def approve_subtitles(video, *, cues: list[dict] | None = None, editor=None, moderator=None):
    """The two-person path: an editor saves the cues (default: the working copy) and submits, a moderator approves."""
    from cms import roles
    from media import selectors, services

    editor = editor or make_user(f"subtitle-editor-{next(_counter)}", roles.EDITORS)
    moderator = moderator or make_user(f"subtitle-moderator-{next(_counter)}", roles.MODERATORS)
    if cues is None:
        cues = [
            {"start": c.start, "end": c.end, "text": c.text} for c in selectors.video_working_track(asset=video).cues
        ]
    services.subtitles_save(asset=video, cues=cues, user=editor, submit=True)
    services.subtitles_approve(asset=video, user=moderator)
    video.refresh_from_db()
    return video


def attach_video(page: TutorialPage, video, *, step: int = 0, start: int | None = None) -> TutorialPage:
    """Put ``video`` on one step of the page's latest revision (not published)."""
    page = page.get_latest_revision_as_object()
    raw = page.steps.raw_data
    raw[step]["value"]["video"] = video.pk
    raw[step]["value"]["video_start"] = start
    page.steps = raw
    page.save_revision()
    return page
