"""docker-compose.yml loads as `docker compose config` would load it.

No Docker engine runs here. When the `docker compose` plugin exists it is
used; otherwise `.ci/compose-config` (compose-go, the library inside
`docker compose`) loads and normalises the file the same way.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SERVICES = {
    "web",
    "worker",
    "beat",
    "postgres",
    "redis",
    "opensearch",
    "stripe-mock",
    "payos-standin",
}


def _compose_config() -> dict:
    # every profile's services too (the test-only payOS stand-in is one)
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": "placeholder-for-config-only",
        "COMPOSE_PROFILES": "standin",
    }
    has_plugin = shutil.which("docker") and (
        subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0
    )
    if has_plugin:
        cmd = ["docker", "compose", "-f", "docker-compose.yml", "config", "--format", "json"]
    elif shutil.which("go"):
        cmd = ["go", "run", ".", str(ROOT / "docker-compose.yml")]
        env["GOFLAGS"] = "-mod=mod"
    else:
        pytest.fail("neither `docker compose` nor Go is available to load the compose file")
    cwd = ROOT if has_plugin else ROOT / ".ci" / "compose-config"
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_compose_file_has_every_service_with_a_healthcheck():
    config = _compose_config()
    services = config["services"]
    assert set(services) == SERVICES
    for name, service in services.items():
        assert service.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"


def test_compose_web_runs_gunicorn_on_production_settings():
    web = _compose_config()["services"]["web"]
    assert "gunicorn" in " ".join(web["command"])
    assert web["environment"]["DJANGO_SETTINGS_MODULE"] == "marketplace.settings.production"


def test_compose_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env["GOFLAGS"] = "-mod=mod"
    result = subprocess.run(
        ["go", "run", ".", str(ROOT / "docker-compose.yml")],
        cwd=ROOT / ".ci" / "compose-config",
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_compose_web_healthcheck_asks_readiness():
    # given the web service's healthcheck
    web = _compose_config()["services"]["web"]
    url = next(arg for arg in web["healthcheck"]["test"] if arg.startswith("http"))
    # then it asks readiness (the database, with each optional part reported),
    # a view that exists in the URL conf
    from django.urls import resolve

    from marketplace.core.views import ReadinessView

    path = url.split("localhost:8000", 1)[1]
    assert path == "/healthz/ready/"
    assert resolve(path).func.view_class is ReadinessView


def test_compose_payos_standin_is_test_only_and_posts_webhooks_to_web():
    """The stand-in runs only under `--profile standin`, and web does not
    point at it by default: its keys are public (review of issue 16), so a
    deploy that forgets its payOS keys offers no VietQR rather than one
    anyone can mark paid."""
    config = _compose_config()
    standin = config["services"]["payos-standin"]
    assert standin.get("profiles") == ["standin"]
    assert "marketplace.payments.payos_standin" in " ".join(standin["command"])
    assert "http://web:8000/payments/payos/webhook/" in standin["command"]
    web = config["services"]["web"]["environment"]
    for name in ("PAYOS_CLIENT_ID", "PAYOS_API_KEY", "PAYOS_CHECKSUM_KEY", "PAYOS_BASE_URL"):
        assert not web.get(name), name
    assert web["PAYOS_ALLOW_STANDIN"] == "0"
    assert "web" in web["DJANGO_ALLOWED_HOSTS"].split(",")
