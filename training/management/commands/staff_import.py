from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from training.staff_import import StaffImportError, read_sheet, staff_import_apply, staff_import_plan


class Command(BaseCommand):
    help = "Import or update staff from a CSV or XLSX sheet (name, department path, staff number, optional mobile)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Print what would be imported, write nothing.")

    def handle(self, *args, file: Path, dry_run: bool, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        content = file.read_bytes()
        try:
            if dry_run:
                plan = staff_import_plan(rows=read_sheet(filename=file.name, content=content))
                if plan.errors:
                    raise StaffImportError(plan.errors)
            else:
                plan = staff_import_apply(filename=file.name, content=content)
        except StaffImportError as error:
            for line, message in error.errors:
                self.stderr.write(f"{file.name}:{line}: {message}" if line else f"{file.name}: {message}")
            raise CommandError("Nothing was imported.") from error
        for row in plan.rows:
            action = "update" if row.existing else "create"
            self.stdout.write(
                f"{row.line}: {action} {row.staff_number} {row.name} in {', '.join(row.department_paths)}"
            )
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(f"{verb} {len(plan.rows)} staff: {plan.created} new, {plan.updated} updated.")
