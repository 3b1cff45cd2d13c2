"""Under `make run` (SQLite, ATOMIC_REQUESTS), visitors who sign in at the
same moment all get in: none of them meets "database is locked".

Each request is one transaction. A sign-in reads the user, checks the
password, then writes (`last_login`, the session). In SQLite's default
deferred mode the transaction asks for the write lock only at that first
write, and if another connection has it SQLite answers "database is
locked" at once, without waiting. These run sign-in-shaped transactions
from parallel threads on a SQLite file configured exactly as `make run`
configures it (the dev settings' DATABASES, read in a fresh process with no
DATABASE_URL), and on the same without its OPTIONS, to show the failure is
real. The suite's own database is PostgreSQL; this one is a temporary file.
"""

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction
from django.utils import timezone

ROOT = Path(__file__).resolve().parents[2]
ALIAS = "make_run_sqlite"
VISITORS = 8
# A real sign-in spends this long between its read and its write (hashing
# the password with the production hasher takes longer still).
PASSWORD_CHECK_SECONDS = 0.2

User = get_user_model()


def _make_run_database() -> dict:
    """DATABASES["default"] as `make run` gets it: manage.py's default
    settings module, no DATABASE_URL."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env["DJANGO_SETTINGS_MODULE"] = "marketplace.settings.dev"
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json; from django.conf import settings; "
            "print(json.dumps(settings.DATABASES['default'], default=str))",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


MAKE_RUN_DATABASE = _make_run_database()


@pytest.fixture
def sqlite_file(tmp_path, django_db_blocker):
    """Connects `ALIAS` to a fresh SQLite file holding the user and session
    tables; yields a function that sets the options it connects with."""

    def configure(database: dict) -> None:
        connections.settings[ALIAS] = connections.configure_settings(
            {DEFAULT_DB_ALIAS: {**database, "NAME": str(tmp_path / "db.sqlite3")}}
        )[DEFAULT_DB_ALIAS]
        with connections[ALIAS].schema_editor() as editor:
            editor.create_model(User)
            editor.create_model(Session)
        for n in range(VISITORS):
            User.objects.using(ALIAS).create(username=f"khach{n}", email=f"khach{n}@example.vn")
        connections[ALIAS].close()

    with django_db_blocker.unblock():
        try:
            yield configure
        finally:
            connections[ALIAS].close()
            del connections[ALIAS]
            del connections.settings[ALIAS]


def _sign_in(username: str, errors: list[str], start: threading.Barrier) -> None:
    """What a sign-in request does to the database, as ATOMIC_REQUESTS
    wraps it: read, think, write, all in one transaction."""
    start.wait()
    try:
        with transaction.atomic(using=ALIAS):
            user = User.objects.using(ALIAS).get(username=username)
            time.sleep(PASSWORD_CHECK_SECONDS)
            user.last_login = timezone.now()
            user.save(using=ALIAS, update_fields=["last_login"])
            Session.objects.using(ALIAS).create(
                session_key=f"phien-{username}",
                session_data="{}",
                expire_date=timezone.now(),
            )
    except OperationalError as error:
        errors.append(str(error))
    finally:
        connections[ALIAS].close()


def _sign_in_together() -> list[str]:
    errors: list[str] = []
    start = threading.Barrier(VISITORS)
    threads = [
        threading.Thread(target=_sign_in, args=(f"khach{n}", errors, start))
        for n in range(VISITORS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_make_run_is_sqlite_with_one_transaction_a_request():
    assert MAKE_RUN_DATABASE["ENGINE"] == "django.db.backends.sqlite3"
    assert MAKE_RUN_DATABASE["ATOMIC_REQUESTS"] is True


def test_visitors_signing_in_together_all_get_in(sqlite_file):
    sqlite_file(MAKE_RUN_DATABASE)

    errors = _sign_in_together()

    assert errors == []
    assert Session.objects.using(ALIAS).count() == VISITORS


def test_without_the_sqlite_options_they_meet_a_locked_database(sqlite_file):
    sqlite_file({**MAKE_RUN_DATABASE, "OPTIONS": {}})

    errors = _sign_in_together()

    assert errors and all("database is locked" in error for error in errors)
    assert Session.objects.using(ALIAS).count() == VISITORS - len(errors)
