"""Receivers that only register work after the commit: a deleted certificate's files leave the private storage."""

from django.db import transaction
from django.db.models.signals import post_delete


def remove_files_of_deleted_certificate(sender, instance, **kwargs) -> None:
    from .tasks import delete_certificate_files

    names = [stored.name for stored in (instance.png, instance.pdf) if stored]
    if names:
        # Only once the deletion is committed: a rolled-back delete keeps its files.
        transaction.on_commit(lambda: delete_certificate_files.enqueue(names))


def register_signal_handlers() -> None:
    from .models import Certificate

    post_delete.connect(
        remove_files_of_deleted_certificate, sender=Certificate, dispatch_uid="training_certificate_files_removed"
    )
