from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete
from wagtail.signals import page_published

from .models import PackageFile
from .tasks import package_files_delete, packages_outdate


def enqueue_packages_outdate(sender, instance, **kwargs):
    transaction.on_commit(partial(packages_outdate.enqueue, instance.pk))


def enqueue_file_removal(sender, instance: PackageFile, **kwargs):
    if instance.file:
        transaction.on_commit(partial(package_files_delete.enqueue, [instance.file.name]))


def register_signal_handlers() -> None:
    from tutorials.models import TutorialPage

    page_published.connect(enqueue_packages_outdate, sender=TutorialPage, dispatch_uid="publishing_packages_outdate")
    post_delete.connect(enqueue_file_removal, sender=PackageFile, dispatch_uid="publishing_package_file_removal")
