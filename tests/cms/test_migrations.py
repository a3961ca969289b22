"""An empty PostgreSQL database migrates from zero, and the role table lands after every app's migrations."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from cms import roles

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def empty_database():
    db = settings.DATABASES["default"]
    name = f"bangban_fresh_{uuid.uuid4().hex[:8]}"
    params = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"], "dbname": "postgres", "autocommit": True}
    with psycopg.connect(**params) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}", {**params, "dbname": name}
    with psycopg.connect(**params) as connection:
        connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


# `manage.py migrate`, optionally with one more permission in a role table (as a release of the training or
# publishing app adds theirs).
MIGRATE = """
import os
import django
from cms import roles
if os.environ.get("EXTRA_PERMISSION"):
    roles.MODEL_PERMISSIONS[roles.TRAINING_MANAGERS].append(os.environ["EXTRA_PERMISSION"])
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
"""


def _migrate(url: str, tmp_path: Path, extra_permission: str = "") -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "cms.settings",
        "VAR_DIR": str(tmp_path),
        "EXTRA_PERMISSION": extra_permission,
    }
    return subprocess.run(
        [sys.executable, "-c", MIGRATE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_an_empty_database_migrates_from_zero_and_role_changes_reach_it(empty_database, tmp_path):
    url, params = empty_database
    first = _migrate(url, tmp_path)
    assert first.returncode == 0, first.stderr
    # A later release grants one more permission: the next migrate applies it, with no migration of its own.
    second = _migrate(url, tmp_path, extra_permission="bangban_search.view_fallbackentry")
    assert second.returncode == 0, second.stderr

    with psycopg.connect(**params) as connection:
        for group, permissions in roles.MODEL_PERMISSIONS.items():
            granted = {
                f"{app}.{codename}"
                for app, codename in connection.execute(
                    "SELECT ct.app_label, p.codename FROM auth_group g"
                    " JOIN auth_group_permissions gp ON gp.group_id = g.id"
                    " JOIN auth_permission p ON p.id = gp.permission_id"
                    " JOIN django_content_type ct ON ct.id = p.content_type_id WHERE g.name = %s",
                    [group],
                )
            }
            expected = set(permissions)
            if group == roles.TRAINING_MANAGERS:
                expected.add("bangban_search.view_fallbackentry")
            assert granted == expected, group
        [(page_rows,)] = connection.execute("SELECT count(*) FROM wagtailcore_grouppagepermission").fetchall()
        assert page_rows == sum(len(codenames) for codenames in roles.PAGE_PERMISSIONS.values())
        [(workflow,)] = connection.execute(
            "SELECT w.name FROM wagtailcore_workflowpage wp JOIN wagtailcore_workflow w ON w.id = wp.workflow_id"
        ).fetchall()
        assert workflow == roles.WORKFLOW_NAME
