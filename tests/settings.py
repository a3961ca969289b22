"""Test settings: the production-shaped base on the PostgreSQL cluster `make test` starts."""

import os
import tempfile

from cms.settings import *  # noqa: F403

if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    raise RuntimeError("The test suite runs on PostgreSQL: use `make test`, or set DATABASE_URL=postgres://...")

# Tests that are not about the queue run tasks immediately; queue tests override this.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": TASKS["default"]["QUEUES"],  # noqa: F405
    }
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="bangban-test-media-"))  # noqa: F405
PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="bangban-test-private-"))  # noqa: F405
SERVE_MEDIA = True
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://testserver"
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# Tests that are about search point at the node `make test` starts (its URL is in the environment) themselves;
# every other test runs without a cluster, as the embedded default does.
ELASTICSEARCH_URL = ""
ELASTICSEARCH_INDEX_PREFIX = "bangban-test-site"
# Nothing kept between searches: a flushed database sends no signals. Tests of the caching override these.
SEARCH_RESULTS_SECONDS = 0
SEARCH_CHANGES_SECONDS = 0
