"""Move uploaded originals from the public media directory into the private storage (an upgrade step).

Before PRIVATE_MEDIA_DIR existed, every upload lay under MEDIA_DIR, which the web server serves. Stored names stay
the same, so the database needs no change. Safe to run again, or after an interruption: a file already moved is
skipped, and a copy cut short is made again.
"""

import shutil
from pathlib import Path

from django.core.files.storage import default_storage, storages
from django.core.management.base import BaseCommand


def private_names() -> list[str]:
    """Every stored name that belongs in the private storage: originals of images, documents, avatars, videos."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.users.models import UserProfile

    from media.models import VideoAsset

    names: set[str] = set()
    names.update(get_image_model().objects.values_list("file", flat=True))
    names.update(get_document_model().objects.values_list("file", flat=True))
    names.update(UserProfile.objects.values_list("avatar", flat=True))
    for row in VideoAsset.objects.values_list("file", "rendition", "poster"):
        names.update(row)
    return sorted(name for name in names if name)


def _local_path(storage, name: str) -> Path | None:
    try:
        return Path(storage.path(name))
    except NotImplementedError:
        return None


class Command(BaseCommand):
    help = "Move uploaded originals (images, documents, videos) from MEDIA_DIR into PRIVATE_MEDIA_DIR."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only say what would be moved.")

    def handle(self, *args, dry_run: bool = False, **options):
        public, private = storages["public"], default_storage
        moved = already = missing = 0
        for name in private_names():
            on_public = public.exists(name)
            if private.exists(name):
                if on_public and public.size(name) != private.size(name):
                    # An earlier run was cut short while copying: copy again.
                    if not dry_run:
                        private.delete(name)
                else:
                    if on_public and not dry_run:
                        public.delete(name)
                    already += 1
                    continue
            if not on_public:
                missing += 1
                continue
            moved += 1
            if dry_run:
                self.stdout.write(f"would move {name}")
                continue
            source, target = _local_path(public, name), _local_path(private, name)
            if source is not None and target is not None:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(source, target)
            else:
                with public.open(name, "rb") as handle:
                    saved = private.save(name, handle)
                if saved != name:
                    raise RuntimeError(f"{name} was stored as {saved}; nothing was removed from MEDIA_DIR")
                public.delete(name)
        verb = "would move" if dry_run else "moved"
        self.stdout.write(
            f"{verb} {moved} files into the private storage; {already} were there already; "
            f"{missing} are in neither place"
        )
