from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import post_migrate

from . import roles


def _permission(dotted: str, using: str):
    from django.contrib.auth.models import Permission

    app_label, codename = dotted.split(".")
    return Permission.objects.using(using).get(content_type__app_label=app_label, codename=codename)


def apply_roles(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Make the groups, their permissions and the two-person workflow match ``cms.roles``. Idempotent.

    Runs after every migrate, when every app's tables exist. After a flush (no root page or collection yet) only the
    groups and their model permissions are set; the rest follows once the tree exists.
    """
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import (
        Collection,
        GroupCollectionPermission,
        GroupPagePermission,
        Page,
        Task,
        Workflow,
        WorkflowContentType,
        WorkflowPage,
        WorkflowTask,
    )

    from .models import TwoPersonApprovalTask

    # Django makes permissions app by app after migrate; the table may name any app's, so make them all first.
    for app_config in global_apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0, using=using)
        create_permissions(app_config, verbosity=0, using=using)

    with transaction.atomic(using=using):
        root_page = Page.objects.using(using).filter(depth=1).first()
        root_collection = Collection.objects.using(using).filter(depth=1).first()
        groups = {}
        for name in roles.ALL_GROUPS:
            group, _ = Group.objects.using(using).get_or_create(name=name)
            groups[name] = group
            group.permissions.set([_permission(dotted, using) for dotted in roles.MODEL_PERMISSIONS[name]])
            if root_page is not None:
                wanted = {_permission(f"wagtailcore.{codename}", using) for codename in roles.PAGE_PERMISSIONS[name]}
                GroupPagePermission.objects.using(using).filter(group=group).exclude(
                    page=root_page, permission__in=wanted
                ).delete()
                for permission in wanted:
                    GroupPagePermission.objects.using(using).get_or_create(
                        group=group, page=root_page, permission=permission
                    )
            if root_collection is not None:
                wanted = {_permission(dotted, using) for dotted in roles.COLLECTION_PERMISSIONS[name]}
                GroupCollectionPermission.objects.using(using).filter(group=group).exclude(
                    collection=root_collection, permission__in=wanted
                ).delete()
                for permission in wanted:
                    GroupCollectionPermission.objects.using(using).get_or_create(
                        group=group, collection=root_collection, permission=permission
                    )

        # Retire the single-group workflow Wagtail creates by default; ours replaces it on the whole tree.
        Workflow.objects.using(using).exclude(name=roles.WORKFLOW_NAME).update(active=False)
        Task.objects.using(using).filter(
            content_type__app_label="wagtailcore", content_type__model="groupapprovaltask"
        ).update(active=False)

        task = TwoPersonApprovalTask.objects.using(using).filter(name=roles.TASK_NAME).first()
        if task is None:
            task = TwoPersonApprovalTask.objects.using(using).create(name=roles.TASK_NAME, active=True)
        task.groups.set([groups[name] for name in roles.APPROVER_GROUPS])
        workflow, _ = Workflow.objects.using(using).get_or_create(name=roles.WORKFLOW_NAME, defaults={"active": True})
        WorkflowTask.objects.using(using).get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
        if root_page is not None:
            WorkflowPage.objects.using(using).update_or_create(page=root_page, defaults={"workflow": workflow})
        for dotted in roles.WORKFLOW_MODELS:
            app_label, model = dotted.split(".")
            content_type = ContentType.objects.db_manager(using).get_by_natural_key(app_label, model)
            WorkflowContentType.objects.using(using).update_or_create(
                content_type=content_type, defaults={"workflow": workflow}
            )


def roles_after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    apply_roles(using=using)


def register_signal_handlers(app_config) -> None:
    # Sent for this app after the whole plan has run, so every table exists by then.
    post_migrate.connect(roles_after_migrate, sender=app_config, dispatch_uid="cms_roles_after_migrate")
