"""Workflow and task names in the reader's language.

Wagtail stores a workflow's and a task's name as one database string and shows it in dozens of templates and
e-mails. Bangban's own workflow keeps its English name in the database as a key (``cms.roles``, which
``apply_roles`` looks up by it); each row, as it is loaded, carries the name translated into the language active
then (the admin user's), so every place Wagtail shows it reads it in that language. Saving puts the key back.

A plain string, not a lazy translation: Wagtail's ``__str__`` returns the name, and must return a str. So an
e-mail rendered in a recipient's language names the workflow in the language of whoever acted.
"""

from django.conf import settings
from django.db.models.signals import post_init, pre_save
from django.utils.translation import override

from . import roles


def _key_for(name) -> str | None:
    for key, display in roles.DISPLAY_NAMES.items():
        if name == key:
            return key
        for code, _label in settings.LANGUAGES:
            with override(code):
                if name == str(display):
                    return key
    return None


def show_translated_name(sender, instance, **kwargs) -> None:
    display = roles.DISPLAY_NAMES.get(instance.__dict__.get("name"))
    if display is not None:
        instance.name = str(display)


def store_name_key(sender, instance, **kwargs) -> None:
    key = _key_for(instance.name)
    if key is not None:
        instance.name = key


def register() -> None:
    from wagtail.models import Task, Workflow

    from .models import TwoPersonApprovalTask

    # A specific task (TwoPersonApprovalTask) sends its signals under its own class, its base row under Task.
    for model in (Workflow, Task, TwoPersonApprovalTask):
        post_init.connect(show_translated_name, sender=model, dispatch_uid=f"cms_show_name_{model.__name__}")
        pre_save.connect(store_name_key, sender=model, dispatch_uid=f"cms_store_name_{model.__name__}")
