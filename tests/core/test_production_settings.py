"""Production settings: strict checks pass, missing settings fail loudly."""

import json
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
UNWANTED = {
    "STRIPE_API_BASE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "PAYOS_CLIENT_ID",
    "PAYOS_API_KEY",
    "PAYOS_CHECKSUM_KEY",
    "PAYOS_BASE_URL",
    "PAYOS_ALLOW_STANDIN",
}


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


def _production_setting(name: str, env=PRODUCTION_ENV, **extra_env):
    """A setting's value as production settings compute it, as JSON."""
    code = f"import json; from django.conf import settings; print(json.dumps(settings.{name}))"
    result = _manage("shell", "-c", code, env={**env, **extra_env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_cache_fails_soft_with_short_timeouts():
    # given the production settings, when we read the cache's configuration
    cache = _production_setting("CACHES")["default"]
    # then it is django-redis, ignoring Redis errors, with sub-second timeouts
    assert cache["BACKEND"] == "django_redis.cache.RedisCache"
    options = cache["OPTIONS"]
    assert options["IGNORE_EXCEPTIONS"] is True
    assert 0 < options["SOCKET_CONNECT_TIMEOUT"] <= 0.5
    assert 0 < options["SOCKET_TIMEOUT"] <= 0.5


def test_production_database_gives_up_connecting_and_leaves_jobs_unlimited():
    # given the production settings, as manage.py and Celery load them
    options = _production_setting("DATABASES")["default"]["OPTIONS"]
    # then connecting gives up after a few seconds, and statements are not
    # cut short (migrations, the registry sync)
    assert options["connect_timeout"] == 2
    assert "statement_timeout" not in options.get("options", "")


def test_production_database_statement_timeout_when_gunicorn_sets_it():
    # given the variable gunicorn.conf.py sets for its workers
    options = _production_setting("DATABASES", DJANGO_DB_STATEMENT_TIMEOUT="5000")["default"][
        "OPTIONS"
    ]
    # then every connection runs its statements under that timeout
    assert options["options"] == "-c statement_timeout=5000"


# A language switch as a browser sends it through the load balancer, under
# production settings; prints what the response sets.
_LANGUAGE_SWITCH = """
import json
from django.test import Client
response = Client(HTTP_HOST="ocop.example.vn", HTTP_X_FORWARDED_PROTO="https").post(
    "/i18n/setlang/", {"language": "en", "next": "/"}, secure=True
)
cookie = response.cookies["django_language"]
print(json.dumps({
    "status": response.status_code,
    "cookie": {key: cookie[key] for key in ("secure", "samesite", "httponly")},
    "csp": response.headers.get("Content-Security-Policy", ""),
    "permissions": response.headers.get("Permissions-Policy", ""),
}))
"""


def test_production_language_cookie_is_secure_samesite_and_httponly():
    # given production settings, when a visitor switches to English
    result = _manage("shell", "-c", _LANGUAGE_SWITCH, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    # then the switch redirects, and the language cookie cannot leak over
    # HTTP, ride along on other sites' requests, or be read by scripts
    assert answer["status"] == 302
    assert answer["cookie"] == {"secure": True, "samesite": "Lax", "httponly": True}
    # and the response carries the security headers (issue 13, finding 9b)
    assert "default-src 'self'" in answer["csp"]
    assert "camera=()" in answer["permissions"]


_COOKIE_SETTINGS = {
    "SESSION_COOKIE_SECURE": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "CSRF_COOKIE_SECURE": True,
    "CSRF_COOKIE_SAMESITE": "Lax",
    "LANGUAGE_COOKIE_SECURE": True,
    "LANGUAGE_COOKIE_SAMESITE": "Lax",
    "OSCAR_BASKET_COOKIE_SECURE": True,
    "OSCAR_RECENTLY_VIEWED_COOKIE_SECURE": True,
}


def test_production_cookies_are_secure_and_samesite():
    # given production settings, when we read every cookie setting at once
    names = ", ".join(f"'{name}'" for name in _COOKIE_SETTINGS)
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in ({names},)}}))"
    )
    result = _manage("shell", "-c", code, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    # then each is Secure and SameSite=Lax
    assert json.loads(result.stdout.strip().splitlines()[-1]) == _COOKIE_SETTINGS


STANDIN_PAYOS = {
    "PAYOS_CLIENT_ID": "standin-client",
    "PAYOS_API_KEY": "standin-api-key",
    "PAYOS_CHECKSUM_KEY": "standin-checksum-key",
}


def test_production_refuses_the_payos_stand_ins_public_keys():
    """Anyone can sign a webhook with the stand-in's keys (they are in the
    repository): a production site configured with them would mark orders
    paid for no money, and show the stand-in's made-up bank account."""
    result = _manage("check", env={**PRODUCTION_ENV, **STANDIN_PAYOS})
    assert result.returncode != 0
    assert "stand-in payOS's public keys" in result.stderr
    allowed = _manage("check", env={**PRODUCTION_ENV, **STANDIN_PAYOS, "PAYOS_ALLOW_STANDIN": "1"})
    assert allowed.returncode == 0, allowed.stderr


def test_production_talks_to_payos_only_at_payos():
    real_keys = {
        "PAYOS_CLIENT_ID": "a1b2c3",
        "PAYOS_API_KEY": "d4e5f6",
        "PAYOS_CHECKSUM_KEY": "0f1e2d3c4b5a",
    }
    elsewhere = _manage(
        "check", env={**PRODUCTION_ENV, **real_keys, "PAYOS_BASE_URL": "http://payos-standin:8766"}
    )
    assert elsewhere.returncode != 0 and "is not payOS" in elsewhere.stderr
    payos = _manage(
        "check",
        env={**PRODUCTION_ENV, **real_keys, "PAYOS_BASE_URL": "https://api-merchant.payos.vn/"},
    )
    assert payos.returncode == 0, payos.stderr
