import json
import sys
import tempfile
import wave
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms.progress import ProgressBar
from media.pipeline import types


def _require_migrated_database() -> None:
    """The speech glossary is read from the database: on a checkout never migrated, say what to run instead of
    ending in "no such table" after the audio was already extracted."""
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        missing = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        raise CommandError(f"The database cannot be read ({exc}). Check DATABASE_URL.") from exc
    if missing:
        raise CommandError(
            f"The database is not set up ({len(missing)} migrations not applied): run `python manage.py migrate` first."
        )


class Command(BaseCommand):
    help = "Transcribe one audio or video file with the subtitle pipeline and print the subtitles."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--language", default="zh", choices=["zh", "en"])
        parser.add_argument("--format", default="vtt", choices=["vtt", "srt", "json"])

    def handle(self, *args, file: Path, language: str, format: str, **options):
        from media.pipeline import audio, subtitles, transcribe
        from media.pipeline.glossary import correct_transcript
        from media.services import glossary_for_site, whisper_options

        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        _require_migrated_database()
        bar = ProgressBar(sys.stderr)
        try:
            with tempfile.TemporaryDirectory(prefix="bangban-transcribe-") as workdir:
                bar.stage("audio")
                wav = audio.extract_audio(file, Path(workdir) / "speech.wav")
                with wave.open(str(wav)) as handle:
                    duration = handle.getnframes() / handle.getframerate()
                bar.update(1.0)
                bar.stage("transcribe")
                prompt, corrections = glossary_for_site()
                result = transcribe.transcribe(
                    wav, language=language, hotwords=prompt, progress=bar.update, **whisper_options()
                )
                result = correct_transcript(result, corrections)
            bar.stage("subtitles")
            track = subtitles.cues_from_transcript(result)
            bar.update(1.0)
        except types.NoAudioTrack as exc:
            raise CommandError(f"{file}: {exc}") from exc
        except types.PipelineError as exc:
            raise CommandError(f"{file}: {exc}") from exc
        finally:
            bar.done()
        if format == "vtt":
            self.stdout.write(subtitles.to_webvtt(track))
        elif format == "srt":
            self.stdout.write(subtitles.to_srt(track))
        else:
            payload = {
                "file": str(file),
                "duration": round(duration, 2),
                "language": language,
                "engine": result.engine,
                "model": result.model,
                "segments": [{"start": s.start, "end": s.end, "text": s.text} for s in result.segments],
                "cues": subtitles.to_json(track),
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
