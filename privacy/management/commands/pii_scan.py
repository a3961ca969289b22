import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms.progress import ProgressBar


def _line_and_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _box(box) -> str:
    return f"box {box.left},{box.top}-{box.right},{box.bottom}"


class Command(BaseCommand):
    help = (
        "Look for personal numbers (resident ID, mobile, bank card): in one text file, image or video, or with no "
        "option in all published content (its pictures and videos are scanned again and their findings stored, as on "
        "upload). One line per finding; exit status 1 when anything was found."
    )

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group()
        source.add_argument("--text", metavar="FILE", help="a UTF-8 text file, or - for standard input")
        source.add_argument("--image", metavar="FILE", type=Path)
        source.add_argument("--video", metavar="FILE", type=Path)
        parser.add_argument("--json", action="store_true", help="one JSON object per finding and line")
        parser.add_argument(
            "--text-only",
            action="store_true",
            help="site mode: read only the text (titles, steps, alt text, file names, subtitles), not pictures and "
            "video frames",
        )

    def handle(self, *args, text=None, image=None, video=None, json=False, text_only=False, **options):
        from privacy.detect import DetectError

        self.as_json = json
        try:
            if text is not None:
                count = self._scan_text_file(text)
            elif image is not None:
                count = self._scan_image(image)
            elif video is not None:
                count = self._scan_video(video)
            else:
                count = self._scan_site(ocr=not text_only)
        except DetectError as error:
            raise CommandError(str(error), returncode=2) from error
        if count:
            self.stderr.write(f"{count} finding(s).")
            sys.exit(1)

    def _emit(self, record: dict, line: str) -> None:
        self.stdout.write(json.dumps(record, ensure_ascii=False) if self.as_json else line)

    def _text_findings(self, source: str, text: str, *, place: str | None = None) -> int:
        from privacy.detect import find_numbers

        findings = find_numbers(text)
        for found in findings:
            start, end = found.span
            line, column = _line_and_column(text, start)
            where = place or f"{source}:{line}:{column}"
            record = {"kind": str(found.kind), "source": source, "masked": found.masked}
            if place:
                record["place"] = place
            record |= {"line": line, "column": column, "start": start, "end": end}
            self._emit(record, f"{found.kind}\t{where}\t{found.masked}")
        return len(findings)

    def _scan_text_file(self, name: str) -> int:
        if name == "-":
            return self._text_findings("-", sys.stdin.read())
        path = Path(name)
        if not path.is_file():
            raise CommandError(f"{path}: no such file", returncode=2)
        try:
            content = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            raise CommandError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})", returncode=2) from None
        return self._text_findings(str(path), content)

    def _scan_image(self, path: Path) -> int:
        from privacy.detect.ocr import find_in_image

        if not path.is_file():
            raise CommandError(f"{path}: no such file", returncode=2)
        findings = find_in_image(path)
        for found in findings:
            record = {"kind": str(found.kind), "source": str(path), "masked": found.masked, "box": found.box.as_list()}
            self._emit(record, f"{found.kind}\t{path}\t{found.masked}\t{_box(found.box)}")
        return len(findings)

    def _scan_video(self, path: Path) -> int:
        from privacy.detect.video import find_in_video

        if not path.is_file():
            raise CommandError(f"{path}: no such file", returncode=2)
        bar = ProgressBar(self.stderr._out)  # the raw stream: the wrapper would end every redraw with a newline
        bar.stage("OCR of frames")
        try:
            findings = find_in_video(path, progress=bar.update)
        finally:
            bar.done()
        for found in findings:
            record = {
                "kind": str(found.kind),
                "source": str(path),
                "masked": found.masked,
                "start": found.start,
                "end": found.end,
                "box": found.box.as_list(),
            }
            line = f"{found.kind}\t{path}\t{found.masked}\t{found.start:.1f}s-{found.end:.1f}s\t{_box(found.box)}"
            self._emit(record, line)
        return len(findings)

    def _scan_site(self, *, ocr: bool) -> int:
        from django.utils import translation

        from privacy.services import site_scan

        count = 0
        # Places are written as the code names them, whatever the site's language: scripts read them.
        with translation.override(None):
            findings = list(site_scan(ocr=ocr))
        for found in findings:
            record = {"kind": found.kind, "source": "site", "masked": found.masked, "place": found.place}
            line = f"{found.kind}\t{found.place}\t{found.masked}"
            if found.start is not None:
                record |= {"start": found.start, "end": found.end}
                line += f"\t{found.start:.1f}s-{found.end:.1f}s"
            if found.box:
                record["box"] = found.box
                left, top, right, bottom = found.box
                line += f"\tbox {left},{top}-{right},{bottom}"
            self._emit(record, line)
            count += 1
        return count
