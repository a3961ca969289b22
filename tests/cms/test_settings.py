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


def test_without_a_secret_key_debug_off_refuses_to_start():
    result = run_manage("check", env={"DEBUG": "0", "DATABASE_URL": os.environ["DATABASE_URL"]})
    assert result.returncode != 0
    assert "DEBUG is off but SECRET_KEY is not set" in result.stderr


def test_the_development_key_serves_only_loopback_hosts():
    env = {"ALLOWED_HOSTS": "bangban.example.gov.cn,localhost", "DATABASE_URL": os.environ["DATABASE_URL"]}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS names bangban.example.gov.cn but SECRET_KEY is not set" in result.stderr
    loopback = run_manage("check", env={**env, "ALLOWED_HOSTS": "localhost,127.0.0.1"})
    assert loopback.returncode == 0, loopback.stderr


def test_the_production_server_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY"}}
    done = subprocess.run(
        [sys.executable, "-m", "cms.serve"], cwd=ROOT, env={**env, "DEBUG": "0"},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert "SECRET_KEY is not set" in done.stderr and "Traceback" not in done.stderr


def test_hsts_preload_is_opt_in():
    code = "from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS > 0, s.SECURE_HSTS_PRELOAD)"
    env = {**PRODUCTION, "DATABASE_URL": os.environ["DATABASE_URL"]}
    assert run_manage("shell", "-v", "0", "-c", code, env=env).stdout.split() == ["True", "False"]
    opted_in = run_manage("shell", "-v", "0", "-c", code, env={**env, "SECURE_HSTS_PRELOAD": "1"})
    assert opted_in.stdout.split() == ["True", "True"]


def test_seed_demo_refuses_production_settings():
    result = run_manage("seed_demo", env={**PRODUCTION, "DATABASE_URL": os.environ["DATABASE_URL"]})
    assert result.returncode != 0
    assert "seed_demo refuses to run on production settings" in result.stderr


def test_a_bad_number_setting_is_named():
    result = run_manage("check", env={"TRUSTED_PROXY_COUNT": "two", "DATABASE_URL": os.environ["DATABASE_URL"]})
    assert result.returncode != 0 and "TRUSTED_PROXY_COUNT must be a whole number, got 'two'" in result.stderr
