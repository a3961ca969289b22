import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


PRODUCTION = {
    "SECRET_KEY": "x9!f3k2-production-test-key-with-plenty-of-entropy-0a8s7d6f5g4h3j2k1l",
    "ALLOWED_HOSTS": "bangban.example.gov.cn",
    "DEBUG": "0",
    "MEDIA_DIR": "/srv/bangban/media",
    "ELASTICSEARCH_URL": "http://127.0.0.1:9200",
}


def test_check_deploy_is_clean_with_production_settings():
    env = {**PRODUCTION, "DATABASE_URL": os.environ["DATABASE_URL"]}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_on_development_defaults():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env={"DATABASE_URL": os.environ["DATABASE_URL"]}
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr or "DEBUG" in result.stderr


def test_environment_switches_production_parts():
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.MEDIA_ROOT, s.ALLOWED_HOSTS, s.DEBUG, s.ELASTICSEARCH_URL,"
        " s.SESSION_COOKIE_SECURE, s.SECURE_SSL_REDIRECT)"
    )
    env = {**PRODUCTION, "DATABASE_URL": "postgres://u:p@db.internal:5432/bangban"}
    result = run_manage("shell", "-v", "0", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "/srv/bangban/media",
        "['bangban.example.gov.cn']",
        "False",
        "http://127.0.0.1:9200",
        "True",
        "True",
    ]


def test_embedded_defaults_need_no_environment(tmp_path):
    code = (
        "from django.conf import settings as s; print(s.DATABASES['default']['ENGINE'], s.TASKS['default']['BACKEND'])"
    )
    result = run_manage("shell", "-v", "0", "-c", code, env={"VAR_DIR": str(tmp_path), "DATABASE_URL": ""})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "django_tasks_db.DatabaseBackend"]
