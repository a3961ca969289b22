"""Fill a fresh site with demo categories, tutorials with screenshots, and one user per role.

Safe to run again: everything is matched on slugs, image titles and usernames, and what already
exists is left as it is.
"""

from __future__ import annotations

import tempfile
import uuid
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from wagtail.images.models import Image
from wagtail.models import Page, Site
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.utils.file import hash_filelike

from cms import roles
from cms.models import HomePage
from media.models import VideoAsset
from media.pipeline.subtitles import cues_from_transcript
from media.pipeline.types import Segment, Transcript
from media.selectors import video_track
from media.services import subtitles_approve, subtitles_save, video_process
from publishing.demo import seed_channels
from search.models import SearchSynonym
from training.demo import seed_training
from tutorials.chapters import suggest_chapter_starts
from tutorials.demo import content
from tutorials.demo.screens import FontMissingError, draw_phone_screen
from tutorials.demo.video import Slide, render_slideshow
from tutorials.models import Audience, RelatedTutorial, ServiceCategory, TutorialIndexPage, TutorialPage
from tutorials.tasks import tutorial_chapter_posters

DEMO_PASSWORD = "bangban-demo"

HOME_TITLE = "帮办"
HOME_SLUG = "home"
HOME_WELCOME = "一步一步，教您在手机上办事"
HOME_INTRO = (
    "查社保、激活医保码、预约挂号、办居住证……每个教程都配有手机截图，一步一步跟着做就能办好。"
    "字太小可以打开“长辈模式”，也可以让手机把步骤读给您听。"
)
INDEX_TITLE = "办事教程"
INDEX_SLUG = "tutorials"
INDEX_INTRO = "按办事类别找教程，或者直接搜索您想办的事，比如“查社保”“医保码”。"

BLOCK_ID_NAMESPACE = uuid.UUID("4f1d6c1e-5b0a-4c59-9a57-0d3c1b7e2a10")


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    group: str | None
    superuser: bool = False


DEMO_USERS = [
    DemoUser("admin", "管理员", None, superuser=True),
    DemoUser("editor", "王芳", roles.EDITORS),
    DemoUser("editor2", "李娜", roles.EDITORS),
    DemoUser("moderator", "陈静", roles.MODERATORS),
    DemoUser("moderator2", "刘洋", roles.MODERATORS),
    DemoUser("publicity", "赵敏", roles.PUBLICITY_OFFICERS),
    DemoUser("trainer", "孙强", roles.TRAINING_MANAGERS),
    DemoUser("learner", "周明", roles.STAFF_LEARNERS),
]


@dataclass
class Tally:
    total: int = 0
    new: int = 0

    def count(self, *, created: bool) -> None:
        self.total += 1
        self.new += int(created)

    def line(self, label: str) -> str:
        return f"{label}: {self.total} ({self.new} new)"


class Command(BaseCommand):
    help = "Create demo service categories, tutorials with screenshots, the home page and demo users."

    def handle(self, *args, **options) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError(
                "seed_demo refuses to run on production settings (SECRET_KEY is set): it creates users with a "
                "published password. Run it only on a development checkout."
            )
        check_content()
        try:
            # Wagtail queues a reference-index task for every object saved, child rows included; publishing a
            # seeded page replaces its related-tutorial rows, so a worker would find the earlier ones gone and
            # fail their tasks. The index is built once, after the seed has committed.
            with disable_reference_index_auto_update(), transaction.atomic():
                self.seed()
        except FontMissingError as exc:
            raise CommandError(str(exc)) from exc
        call_command("rebuild_references_index", verbosity=0)

    def seed(self) -> None:
        category_tally = Tally()
        categories = seed_categories(tally=category_tally)
        self.stdout.write(category_tally.line("categories"))

        home, home_created = ensure_home_page()
        self.stdout.write(f"home page: {home.title} ({'new' if home_created else 'existing'})")
        index, index_created = ensure_tutorial_index(home=home)
        self.stdout.write(f"tutorial index: {index.title} ({'new' if index_created else 'existing'})")

        screenshots = Tally()
        tutorials = Tally()
        pages: dict[str, TutorialPage] = {}
        new_pages: list[tuple[content.Tutorial, TutorialPage]] = []
        for tutorial in content.TUTORIALS:
            page = find_tutorial_page(index=index, slug=tutorial.slug)
            tutorials.count(created=page is None)
            if page is None:
                images = [
                    ensure_screenshot(tutorial=tutorial, number=number, step=step, tally=screenshots)
                    for number, step in enumerate(tutorial.steps, start=1)
                ]
                page = create_tutorial_page(
                    index=index, tutorial=tutorial, category=categories[tutorial.category], images=images
                )
                new_pages.append((tutorial, page))
            else:
                screenshots.total += len(tutorial.steps)
            pages[tutorial.slug] = page

        for tutorial, page in new_pages:
            publish_tutorial(page=page, related=[pages[slug] for slug in tutorial.related])
        self.stdout.write(screenshots.line("screenshots"))
        self.stdout.write(tutorials.line("tutorials"))

        video = ensure_demo_video(
            page=pages[DEMO_VIDEO_TUTORIAL], tutorial=content.tutorial_by_slug(DEMO_VIDEO_TUTORIAL)
        )
        lines = len(video_track(asset=video).cues)
        self.stdout.write(f"demo video: {video.title} ({video.get_status_display()}, {lines} subtitle lines)")

        synonyms = seed_synonyms()
        self.stdout.write(f"search synonyms: {synonyms}")

        channels = seed_channels()
        self.stdout.write(f"publicity channels: {channels} new")

        users = Tally()
        for spec in DEMO_USERS:
            users.count(created=ensure_user(spec=spec))
        self.stdout.write(users.line("users") + f"; password for all: {DEMO_PASSWORD}")

        training = seed_training(tutorials_by_slug=pages)
        self.stdout.write(
            f"training: {training['departments']} departments, {training['staff']} new staff records, "
            f"{training['courses']} new courses (learner site: /learn/, sign in as learner)"
        )


def check_content() -> None:
    """Fail before touching the database when the demo data contradicts itself."""
    category_slugs = content.category_slugs()
    tutorial_slugs = content.tutorial_slugs()
    audiences = set(Audience.values)
    problems: list[str] = []
    for tutorial in content.TUTORIALS:
        if tutorial.category not in category_slugs:
            problems.append(f"{tutorial.slug}: unknown category {tutorial.category!r}")
        if tutorial.audience not in audiences:
            problems.append(f"{tutorial.slug}: unknown audience {tutorial.audience!r}")
        problems.extend(
            f"{tutorial.slug}: unknown related tutorial {slug!r}"
            for slug in tutorial.related
            if slug not in tutorial_slugs or slug == tutorial.slug
        )
    if problems:
        raise CommandError("Demo content is inconsistent:\n" + "\n".join(problems))


def seed_categories(*, tally: Tally) -> dict[str, ServiceCategory]:
    result: dict[str, ServiceCategory] = {}
    for spec in content.CATEGORIES:
        category = ServiceCategory.objects.filter(Q(slug=spec.slug) | Q(name=spec.name)).order_by("pk").first()
        tally.count(created=category is None)
        if category is None:
            category = ServiceCategory.objects.create(
                slug=spec.slug,
                name=spec.name,
                badge=spec.badge,
                colour=spec.colour,
                description=spec.description,
                sort_order=spec.sort_order,
            )
        result[spec.slug] = category
    return result


def ensure_home_page() -> tuple[HomePage, bool]:
    """Return the one HomePage, replacing Wagtail's placeholder welcome page with it if needed."""
    home = HomePage.objects.order_by("pk").first()
    created = home is None
    if home is None:
        root = Page.get_first_root_node()
        site = default_site()
        if site is not None and is_placeholder_page(page=site.root_page):
            placeholder = site.root_page
            site.root_page = root
            site.save(update_fields=["root_page"])
            placeholder.delete()
        slug = HOME_SLUG if not root.get_children().filter(slug=HOME_SLUG).exists() else "bangban"
        home = HomePage(title=HOME_TITLE, slug=slug, welcome=HOME_WELCOME, intro=HOME_INTRO, live=False)
        root.add_child(instance=home)
        home.save_revision().publish()
    point_default_site_at(page=home)
    return home, created


def default_site() -> Site | None:
    return Site.objects.filter(is_default_site=True).first() or Site.objects.order_by("pk").first()


def is_placeholder_page(*, page: Page) -> bool:
    """Wagtail's "Welcome to your new Wagtail site!" page: a plain Page with nothing under it."""
    return page.depth == 2 and page.specific_class is Page and not page.get_children().exists()


def point_default_site_at(*, page: Page) -> None:
    site = default_site()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, site_name=HOME_TITLE, root_page=page, is_default_site=True)
        return
    changed: list[str] = []
    if site.root_page_id != page.pk:
        site.root_page = page
        changed.append("root_page")
    if not site.is_default_site:
        site.is_default_site = True
        changed.append("is_default_site")
    if not site.site_name:
        site.site_name = HOME_TITLE
        changed.append("site_name")
    if changed:
        site.save(update_fields=changed)


def ensure_tutorial_index(*, home: HomePage) -> tuple[TutorialIndexPage, bool]:
    existing = home.get_children().filter(slug=INDEX_SLUG).first()
    if existing is not None:
        if existing.specific_class is not TutorialIndexPage:
            raise CommandError(f"The page {existing.url_path!r} exists but is not a tutorial index page.")
        return existing.specific, False
    index = TutorialIndexPage(title=INDEX_TITLE, slug=INDEX_SLUG, intro=INDEX_INTRO, live=False)
    home.add_child(instance=index)
    index.save_revision().publish()
    return index, True


def find_tutorial_page(*, index: TutorialIndexPage, slug: str) -> TutorialPage | None:
    existing = index.get_children().filter(slug=slug).first()
    if existing is None:
        return None
    if existing.specific_class is not TutorialPage:
        raise CommandError(f"The page {existing.url_path!r} exists but is not a tutorial page.")
    return existing.specific


def screenshot_title(*, tutorial: content.Tutorial, number: int) -> str:
    return f"demo/{tutorial.slug}/step-{number}"


def ensure_screenshot(*, tutorial: content.Tutorial, number: int, step: content.Step, tally: Tally) -> Image:
    title = screenshot_title(tutorial=tutorial, number=number)
    image = Image.objects.filter(title=title).order_by("pk").first()
    tally.count(created=image is None)
    if image is not None:
        return image
    png = render_png(screen=step.screen)
    image = Image(
        title=title,
        description=step.alt[:255],
        file=ImageFile(BytesIO(png), name=f"demo-{tutorial.slug}-step-{number}.png"),
        file_size=len(png),
        file_hash=hash_filelike(BytesIO(png)),
    )
    image.save()
    return image


def render_png(*, screen: content.Screen) -> bytes:
    buffer = BytesIO()
    draw_phone_screen(**screen.as_kwargs()).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def block_id(*parts: object) -> str:
    return str(uuid.uuid5(BLOCK_ID_NAMESPACE, "/".join(str(part) for part in parts)))


def steps_stream(*, tutorial: content.Tutorial, images: list[Image]) -> list[dict]:
    """The steps as raw StreamField data, with block ids that stay the same on every run."""
    stream = []
    for number, (step, image) in enumerate(zip(tutorial.steps, images, strict=True), start=1):
        tip = step.tip or content.Tip("tip", "")
        stream.append(
            {
                "type": "step",
                "id": block_id(tutorial.slug, "step", number),
                "value": {
                    "title": step.title,
                    "text": step.text,
                    "screenshots": [
                        {
                            "type": "item",
                            "id": block_id(tutorial.slug, "step", number, "screenshot", 1),
                            "value": {"image": image.pk, "alt": step.alt},
                        }
                    ],
                    "tip": {"kind": tip.kind, "text": tip.text},
                    "video": None,
                },
            }
        )
    return stream


def create_tutorial_page(
    *, index: TutorialIndexPage, tutorial: content.Tutorial, category: ServiceCategory, images: list[Image]
) -> TutorialPage:
    page = TutorialPage(
        title=tutorial.title,
        slug=tutorial.slug,
        summary=tutorial.summary,
        category=category,
        audience=Audience(tutorial.audience),
        estimated_minutes=tutorial.estimated_minutes,
        last_reviewed=tutorial.last_reviewed,
        steps=steps_stream(tutorial=tutorial, images=images),
        live=False,
    )
    try:
        TutorialPage._meta.get_field("steps").stream_block.clean(page.steps)
    except ValidationError as exc:
        raise CommandError(f"Demo tutorial {tutorial.slug!r} has invalid steps: {exc}") from exc
    index.add_child(instance=page)
    return page


def publish_tutorial(*, page: TutorialPage, related: list[TutorialPage]) -> None:
    page.related_links = [RelatedTutorial(related=other, sort_order=order) for order, other in enumerate(related)]
    page.save_revision().publish()


DEMO_VIDEO_TUTORIAL = "check-social-insurance-payments"
DEMO_SYNONYMS = [
    "社保, 社会保险",
    "医保, 医疗保险",
    "个税, 个人所得税",
    "公积金, 住房公积金",
    "退休金, 退休工资, 养老金",
    "年审, 资格认证",
    "电动车, 电动自行车",
]


def seed_synonyms() -> int:
    for terms in DEMO_SYNONYMS:
        SearchSynonym.objects.get_or_create(terms=terms)
    return SearchSynonym.objects.count()


def ensure_demo_video(*, page: TutorialPage, tutorial: content.Tutorial) -> VideoAsset:
    """A narrated video of one tutorial, run through the real pipeline, with one chapter per step."""
    title = f"演示视频：{tutorial.title}"
    video = VideoAsset.objects.filter(title=title).order_by("pk").first()
    if video is None:
        images = [
            Image.objects.get(title=screenshot_title(tutorial=tutorial, number=n))
            for n in range(1, len(tutorial.steps) + 1)
        ]
        with tempfile.TemporaryDirectory(prefix="bangban-demo-video-") as tmp:
            clip = Path(tmp) / "demo.mp4"
            slides = []
            for number, (step, image) in enumerate(zip(tutorial.steps, images, strict=True), start=1):
                still = Path(tmp) / f"step-{number}.png"
                with image.file.open("rb") as source:
                    still.write_bytes(source.read())
                slides.append(Slide(image=still, narration=f"第{number}步，{step.title}。{step.text}"))
            starts = render_slideshow(slides, clip)
            with open(clip, "rb") as handle:
                # Created without the upload signal's queue: the demo runs the pipeline here and now.
                video = VideoAsset(title=title, language="zh")
                video.file.save("demo-social-insurance.mp4", File(handle), save=False)
                VideoAsset.objects.bulk_create([video])
        video_process(asset_id=video.pk)
        video.refresh_from_db()
        if video.status != VideoAsset.Status.READY:
            raise CommandError(f"The demo video failed to process: {video.failure_reason}")
        # Speech recognition of espeak-ng's robotic Mandarin is poor, as it would be for a bad recording: the
        # demo editor replaces the automatic subtitles with the narration script and submits them; a demo moderator
        # (a second person) approves them, which makes them public.
        ends = [*starts[1:], video.duration]
        script = Transcript(
            language="zh",
            segments=tuple(
                Segment(start, end, slide.narration) for start, end, slide in zip(starts, ends, slides, strict=True)
            ),
            engine="script",
            model="",
        )
        cues = [{"start": c.start, "end": c.end, "text": c.text} for c in cues_from_transcript(script).cues]
        subtitles_save(asset=video, cues=cues, user=demo_user("editor"), submit=True)
        subtitles_approve(asset=video, user=demo_user("moderator"))
        attach_demo_video(page=page, video=video, starts=starts)
    else:
        upgrade_demo_chapters(page=page, video=video, tutorial=tutorial)
    # The chapter posters, here and now like the rest of the demo video (publishing queues them for a worker).
    tutorial_chapter_posters.call(page.pk)
    return video


def upgrade_demo_chapters(*, page: TutorialPage, video: VideoAsset, tutorial: content.Tutorial) -> None:
    """A demo seeded when chapters took whole seconds starts each step on the previous step's screen: move its
    chapters to the narration's change points, found by matching the steps to the approved subtitles."""
    current = [block["value"].get("video_start") for block in page.get_latest_revision_as_object().steps.raw_data]
    if any(isinstance(start, float) and not start.is_integer() for start in current):
        return
    cues = [(cue.start, cue.end, cue.text) for cue in video_track(asset=video).cues]
    starts = suggest_chapter_starts([f"{step.title}。{step.text}" for step in tutorial.steps], cues)
    if [float(start or 0) for start in current[: len(starts)]] != starts:
        attach_demo_video(page=page, video=video, starts=starts)


def attach_demo_video(*, page: TutorialPage, video: VideoAsset, starts: list[float]) -> None:
    latest = page.get_latest_revision_as_object()
    raw = latest.steps.raw_data
    for block, start in zip(raw, starts, strict=False):
        block["value"]["video"] = video.pk
        block["value"]["video_start"] = round(start, 2)
    latest.steps = raw
    latest.save_revision().publish()


def demo_user(username: str):
    ensure_user(spec=next(spec for spec in DEMO_USERS if spec.username == username))
    return get_user_model().objects.get(username=username)


def ensure_user(*, spec: DemoUser) -> bool:
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=spec.username,
        defaults={
            "email": f"{spec.username}@example.com",
            "first_name": spec.display_name,
            "is_staff": spec.superuser,
            "is_superuser": spec.superuser,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    if spec.group is not None:
        group = Group.objects.filter(name=spec.group).first()
        if group is None:
            raise CommandError(f"Group {spec.group!r} is missing; run `manage.py migrate` first.")
        if not user.groups.filter(pk=group.pk).exists():
            user.groups.add(group)
    return created
