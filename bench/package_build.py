"""The channel package build of the demo video tutorial (查询社保缴费记录) against a hand-written ffmpeg command that
makes the same vertical video, in the same run, after `manage.py seed_demo`.

The build is `publishing.services.package_build` for the douyin channel: reading the live tutorial (its approved
subtitles and video chapters), the vertical video, cover and caption, storing them with their SHA-256 and the
guard's scan of the package, in a process of its own. The baseline is `bench.package_render.hand_written` for
the same PackageSpec (the same pictures; titles and subtitles burned by libass). Prints both times, the ratio
(aim: at most 1.5x) and the peak RSS of the build (its process and its children).

    .venv/bin/python -m bench.package_build
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AIM = 1.5
DEMO_TITLE = "查询社保缴费记录"


def finish_privacy_scans(tutorial) -> None:
    """The guard's OCR scans of the screenshots and videos are tasks a worker runs; with none here, run them now
    (outside the clock): a tutorial whose scans are unfinished cannot be packaged."""
    from wagtail.images.models import Image

    from media.models import VideoAsset
    from privacy.selectors import scans_unfinished
    from privacy.services import image_scan, video_scan

    for scan in scans_unfinished(tutorial):
        target = scan.content_object
        if isinstance(target, Image):
            image_scan(image_id=target.pk)
        elif isinstance(target, VideoAsset):
            video_scan(asset_id=target.pk)


def build_only(package_id: int) -> None:
    """In a process of its own: build one package and print its time and peak RSS as JSON."""
    from bench.package_render import peak_rss_mib
    from publishing.services import package_build

    started = time.perf_counter()
    package_build(package_id=package_id)
    seconds = time.perf_counter() - started
    _peak, own, children = peak_rss_mib()
    print(json.dumps({"seconds": seconds, "own": own, "children": children}))


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
    import django

    django.setup()
    if len(sys.argv) == 3 and sys.argv[1] == "--build":
        build_only(int(sys.argv[2]))
        return

    from bench.package_render import hand_written
    from media.pipeline.probe import probe
    from publishing.builder import package_spec
    from publishing.demo import seed_channels
    from publishing.models import Channel, Package
    from tutorials.models import TutorialPage

    tutorial = TutorialPage.objects.live().filter(title=DEMO_TITLE).first()
    if tutorial is None or not tutorial.step_videos():
        raise SystemExit(f"no live demo video tutorial {DEMO_TITLE!r}: run `manage.py seed_demo` first")
    seed_channels()
    channel = Channel.objects.get(slug="douyin")
    finish_privacy_scans(tutorial)

    package = Package(tutorial=tutorial, channel=channel, live=False)
    package.save()
    try:
        # The build runs in a process of its own, so its peak RSS is its own (the scans above ran tesseract).
        child = subprocess.run(
            [sys.executable, "-m", "bench.package_build", "--build", str(package.pk)],
            check=True,
            capture_output=True,
            text=True,
        )
        measured = json.loads(child.stdout.strip().splitlines()[-1])
        package.refresh_from_db()
        if package.build_status != Package.BuildStatus.READY:
            raise SystemExit(f"the build failed: {package.failure_reason}")
        video = package.files.get(role="video")
        facts = probe(Path(video.file.path))

        with tempfile.TemporaryDirectory(prefix="bench-package-build-") as name:
            folder = Path(name)
            spec = package_spec(tutorial=tutorial, channel=channel, workdir=folder / "inputs")
            command = hand_written(spec, folder, folder / "hand.mp4")  # its pictures are drawn outside the clock
            started = time.perf_counter()
            subprocess.run(command, check=True)
            baseline = time.perf_counter() - started
            hand = probe(folder / "hand.mp4")
    finally:
        names = list(Package.objects.filter(pk=package.pk).values_list("files__file", flat=True))
        Package.objects.filter(pk=package.pk).delete()
        from django.core.files.storage import default_storage

        for stored in filter(None, names):
            default_storage.delete(stored)

    built = measured["seconds"]
    print(f"demo tutorial: {tutorial.title} ({len(tutorial.step_ids())} steps), channel {channel.slug}")
    print(f"video: {facts.width}x{facts.height} {facts.video_codec}/{facts.audio_codec}, {facts.duration:.1f} s "
          f"(hand-written: {hand.width}x{hand.height}, {hand.duration:.1f} s)")  # fmt: skip
    print(f"hand-written ffmpeg command:        {baseline:6.1f} s")
    print(f"package_build (video, cover, caption, storing, guard scan): {built:6.1f} s")
    ratio = built / baseline
    print(f"ratio: {ratio:.2f}x (aim <= {AIM}x) {'OK' if ratio <= AIM else 'OVER'}")
    print(
        f"peak RSS of the build: {max(measured['own'], measured['children']):.0f} MiB "
        f"(its Python process {measured['own']:.0f} MiB, "
        f"largest child (ffmpeg, tesseract) {measured['children']:.0f} MiB)"
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
