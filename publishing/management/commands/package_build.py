import shutil
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from cms.progress import ProgressBar


class Command(BaseCommand):
    help = (
        "Build a channel package of one published tutorial into a folder (the same files the admin builds), with a "
        "progress bar on stderr."
    )

    def add_arguments(self, parser):
        parser.add_argument("tutorial_slug", metavar="TUTORIAL_SLUG")
        parser.add_argument("--channel", required=True, help="the channel's slug or name, e.g. douyin")
        parser.add_argument("--out", required=True, type=Path, help="the folder to write the files into")
        parser.add_argument(
            "--trim", action="store_true", help="shorten the video chapters to fit the channel's length limit"
        )

    def handle(self, *args, tutorial_slug: str, channel: str, out: Path, trim: bool, **options):
        from media.pipeline.package import render_package
        from media.pipeline.types import PipelineError
        from publishing.builder import BuildRefused, channel_spec_of, package_spec
        from publishing.models import Channel
        from tutorials.models import TutorialPage

        pages = list(TutorialPage.objects.filter(slug=tutorial_slug).order_by("-live", "pk")[:2])
        if not pages:
            raise CommandError(f"No tutorial has the slug {tutorial_slug!r}.")
        tutorial = pages[0]
        found = Channel.objects.filter(Q(slug=channel) | Q(name=channel)).first()
        if found is None:
            known = ", ".join(Channel.objects.order_by("slug").values_list("slug", flat=True)) or "none"
            raise CommandError(f"No channel {channel!r}; known channels: {known}.")
        if out.exists() and not out.is_dir():
            raise CommandError(f"{out} exists and is not a folder.")

        # The bar redraws one line in place: it writes to the stream under Django's wrapper, which adds line ends.
        bar = ProgressBar(getattr(self.stderr, "_out", sys.stderr))
        bar.stage("prepare")
        try:
            with tempfile.TemporaryDirectory(prefix="bangban-package-cli-") as name:
                folder = Path(name)
                spec = package_spec(tutorial=tutorial, channel=found, workdir=folder / "inputs")
                current = {"role": ""}

                def progress(fraction: float, role: str) -> None:
                    if role != current["role"]:
                        current["role"] = role
                        bar.label = role
                    bar.update(fraction)

                rendered = render_package(
                    spec,
                    folder / "out",
                    channel=channel_spec_of(found),
                    over_limit="trim" if trim else "refuse",
                    progress=progress,
                )
                bar.update(1.0)
                bar.done()
                out.mkdir(parents=True, exist_ok=True)
                for path in rendered.paths():
                    shutil.move(str(path), out / path.name)
        except (BuildRefused, PipelineError) as error:
            raise CommandError(str(error)) from error
        except OSError as error:
            raise CommandError(f"The package could not be written: {error}") from error
        for path in rendered.paths():
            self.stdout.write(str(out / path.name))
