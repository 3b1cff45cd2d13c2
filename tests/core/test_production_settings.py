"""Production settings: strict checks pass, missing settings fail loudly."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "marketplace.settings.production",
    "DJANGO_SECRET_KEY": "x7!kq2#vR9m$Lp4@Wz8^Nb6&Hc3*Jf5(Gd1)Ts0_Ye-Ua+Io=Pe",
    "DJANGO_ALLOWED_HOSTS": "ocop.example.vn",
    "DATABASE_URL": "postgres://ocop:ocop@127.0.0.1:5432/ocop",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "OPENSEARCH_URL": "http://127.0.0.1:9200",
    "WAGTAILADMIN_BASE_URL": "https://ocop.example.vn",
}


# Set for the test run only; a production process never has them.
UNWANTED = {"STRIPE_API_BASE", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def _manage(*args, env):
    base = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and k not in UNWANTED}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_missing_secret_key_fails_at_start_naming_the_setting():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
    assert "ImproperlyConfigured" in result.stderr


def test_missing_database_url_fails_at_start_naming_the_setting():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DATABASE_URL"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr
