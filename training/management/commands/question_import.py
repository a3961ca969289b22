from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from training.quiz import BankFormat
from training.quiz_services import bank_import


class Command(BaseCommand):
    help = "Import a question bank (GIFT, Aiken or XLSX); a file with any error imports nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--format", choices=[f.value for f in BankFormat], help="Guessed from the file if left out."
        )
        parser.add_argument("--category", default="", help="For questions the file puts in no category.")
        parser.add_argument("--dry-run", action="store_true", help="Print what would be imported, write nothing.")

    def handle(self, *args, file: Path, format: str | None, category: str, dry_run: bool, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        result = bank_import(
            data=file.read_bytes(), filename=file.name, format=format, category=category, dry_run=dry_run
        )
        if not result.ok:
            for line, message in result.errors:
                self.stderr.write(f"{file.name}:{line}: {message}" if line else f"{file.name}: {message}")
            raise CommandError("Nothing was imported.")
        for number, question in enumerate(result.questions, 1):
            text = " ".join(question.text.split())
            self.stdout.write(f"{number}: {question.kind.value} [{question.category}] {text[:60]}")
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(f"{verb} {len(result.questions)} questions.")
