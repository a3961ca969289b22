from django.contrib.auth.management import create_permissions
from django.db import migrations

from cms import roles


def _permission(apps, dotted):
    Permission = apps.get_model("auth", "Permission")
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def apply_roles(apps, schema_editor):
    # Permissions are normally created after migrate; make sure they exist before we hand them out.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    Task = apps.get_model("wagtailcore", "Task")
    TwoPersonApprovalTask = apps.get_model("cms", "TwoPersonApprovalTask")

    root_page = Page.objects.get(depth=1)
    root_collection = Collection.objects.get(depth=1)

    groups = {}
    for name in roles.ALL_GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        groups[name] = group
        group.permissions.set([_permission(apps, dotted) for dotted in roles.MODEL_PERMISSIONS[name]])
        GroupPagePermission.objects.filter(group=group).delete()
        for codename in roles.PAGE_PERMISSIONS[name]:
            GroupPagePermission.objects.create(
                group=group, page=root_page, permission=_permission(apps, f"wagtailcore.{codename}")
            )
        GroupCollectionPermission.objects.filter(group=group).delete()
        for dotted in roles.COLLECTION_PERMISSIONS[name]:
            GroupCollectionPermission.objects.create(
                group=group, collection=root_collection, permission=_permission(apps, dotted)
            )

    # Retire the single-group workflow Wagtail creates by default; ours replaces it on the whole tree.
    Workflow.objects.exclude(name=roles.WORKFLOW_NAME).update(active=False)
    Task.objects.filter(content_type__app_label="wagtailcore", content_type__model="groupapprovaltask").update(
        active=False
    )

    task_type, _ = ContentType.objects.get_or_create(app_label="cms", model="twopersonapprovaltask")
    task, _ = TwoPersonApprovalTask.objects.get_or_create(
        name=roles.TASK_NAME, defaults={"content_type": task_type, "active": True}
    )
    task.groups.set([groups[name] for name in roles.APPROVER_GROUPS])
    workflow, _ = Workflow.objects.get_or_create(name=roles.WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("tutorials", "0001_initial"),
        ("bangban_media", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
