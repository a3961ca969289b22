import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from training.models import QuestionCategory
from training.quiz import BankFormat
from training.quiz_services import QuizError, bank_export


class Command(BaseCommand):
    help = "Export the question bank (or one category) as GIFT, Aiken or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=[f.value for f in BankFormat], default=BankFormat.GIFT.value)
        parser.add_argument("--category", default="", help="Only this category (its full name, e.g. 社保/医保).")
        parser.add_argument("--out", type=Path, help="The file to write; standard output if left out.")

    def handle(self, *args, format: str, category: str, out: Path | None, **options):
        fmt = BankFormat(format)
        if category and not QuestionCategory.objects.filter(name=category).exists():
            raise CommandError(f"No question category named {category!r}.")
        if fmt is BankFormat.XLSX and out is None:
            raise CommandError("An XLSX export needs --out FILE.")
        try:
            content = bank_export(format=fmt, category=category or None)
        except QuizError as error:
            raise CommandError(str(error)) from error
        if out is None:
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
            return
        out.write_bytes(content)
        self.stderr.write(f"Wrote {out}.")
