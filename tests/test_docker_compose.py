"""docker-compose.yml loads as `docker compose config` would load it.

No Docker engine runs here. When the `docker compose` plugin exists it is
used; otherwise `.ci/compose-config` (compose-go, the library inside
`docker compose`) loads and normalises the file the same way.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# what runs by default: production's shape, nothing fake
SERVICES = {"migrate", "web", "nginx", "worker", "beat", "postgres", "redis", "opensearch"}
# the fakes, only under `--profile dev`
DEV_SERVICES = {"stripe-mock", "registry-standin", "payos-standin", "versitygw"}
REQUIRED_ENV = {
    "DJANGO_SECRET_KEY": "placeholder-for-config-only",
    "MEDIA_S3_BUCKET": "ocop-media",
}


def _dev_env() -> dict:
    """compose.dev.env's variables, as `--env-file compose.dev.env` gives them."""
    lines = (ROOT / "compose.dev.env").read_text().splitlines()
    pairs = (line.split("=", 1) for line in lines if line and not line.startswith("#"))
    return {name: value for name, value in pairs}


def _compose_config(*, profiles: str = "dev", env: dict | None = None) -> dict:
    """The normalised project; by default with every profile's services."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("MEDIA_S3_", "STRIPE_"))},
        **REQUIRED_ENV,
        **(env or {}),
        "COMPOSE_PROFILES": profiles,
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
    assert set(services) == SERVICES | DEV_SERVICES
    for name, service in services.items():
        if name == "migrate":  # a one-off: compose waits for it to finish instead
            continue
        assert service.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"


def test_compose_runs_no_mock_by_default():
    # given the compose file with no profile and no keys
    config = _compose_config(profiles="")
    # then only the real services run, every fake sits under `dev`
    assert set(config["services"]) == SERVICES
    everything = _compose_config()["services"]
    for name in DEV_SERVICES:
        assert everything[name]["profiles"] == ["dev"], name
    # and no web, worker or beat points at a mock: no Stripe keys means
    # cash on delivery only, no registry URL means no scheduled sync
    for name in ("web", "worker", "beat", "migrate"):
        env = config["services"][name]["environment"]
        for key in ("STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_API_BASE"):
            assert not env.get(key), (name, key)
        assert not env.get("REGISTRY_URL") and not env.get("MEDIA_S3_ENDPOINT_URL"), name
        assert "stripe-mock" not in config["services"][name].get("depends_on", {})


def test_compose_dev_env_wires_every_fake():
    # given `--env-file compose.dev.env --profile dev`
    dev = _dev_env()
    assert dev["COMPOSE_PROFILES"] == "dev"
    config = _compose_config(env=dev)
    web = config["services"]["web"]["environment"]
    # then web reaches each fake by its service name and port
    assert web["STRIPE_API_BASE"] == "http://stripe-mock:12111"
    assert web["REGISTRY_URL"] == "http://registry-standin:8765"
    assert web["PAYOS_BASE_URL"] == "http://payos-standin:8766"
    assert web["MEDIA_S3_ENDPOINT_URL"] == "http://versitygw:7070"
    versitygw = config["services"]["versitygw"]
    assert versitygw["environment"]["ROOT_ACCESS_KEY"] == web["MEDIA_S3_ACCESS_KEY_ID"]
    assert versitygw["environment"]["ROOT_SECRET_KEY"] == web["MEDIA_S3_SECRET_ACCESS_KEY"]
    assert "7070" in " ".join(versitygw["command"])
    # and public media goes through nginx's /media-store/ route to the bucket
    assert web["MEDIA_S3_PUBLIC_URL"].endswith(f"/media-store/{web['MEDIA_S3_BUCKET']}")


def test_compose_web_runs_gunicorn_on_production_settings():
    web = _compose_config()["services"]["web"]
    assert "gunicorn" in " ".join(web["command"])
    assert web["environment"]["DJANGO_SETTINGS_MODULE"] == "marketplace.settings.production"


def test_compose_migrates_once_before_web_worker_and_beat_start():
    services = _compose_config()["services"]
    migrate = services["migrate"]
    assert "manage.py migrate" in " ".join(migrate["command"])
    assert "media_store_prepare" in " ".join(migrate["command"])
    for name in ("web", "worker", "beat"):
        assert "migrate" not in " ".join(services[name]["command"]), name
        wait = services[name]["depends_on"]["migrate"]
        assert wait["condition"] == "service_completed_successfully", name


def test_compose_scales_web_behind_nginx():
    services = _compose_config()["services"]
    # web publishes no host port, so `--scale web=3` has no clash
    assert not services["web"].get("ports")
    # nginx is the one way in, and waits for a healthy web
    assert [p["target"] for p in services["nginx"]["ports"]] == [80]
    assert services["nginx"]["depends_on"]["web"]["condition"] == "service_healthy"
    # and its upstream re-resolves the web service's replicas
    template = (ROOT / "deploy/nginx/templates/default.conf.template").read_text()
    assert re.search(r"server web:8000 resolve;", template)
    assert "resolver 127.0.0.11" in template
    mount = services["nginx"]["volumes"][0]
    assert mount["source"].endswith("deploy/nginx/templates")
    assert mount["target"] == "/etc/nginx/templates"


def test_compose_runs_opensearch_at_cis_version():
    script = (ROOT / ".ci/services.sh").read_text()
    ci = re.search(r'echo "(\d+\.\d+\.\d+)\.\d+ \$JAVA25"', script)[1]
    image = _compose_config()["services"]["opensearch"]["image"]
    assert image == f"opensearchproject/opensearch:{ci}"


def test_compose_keeps_media_on_the_object_store_shared_by_replicas():
    services = _compose_config()["services"]
    for name in ("web", "worker", "beat", "migrate"):
        assert services[name]["environment"]["MEDIA_S3_BUCKET"] == "ocop-media"
        # no per-host media volume: a photo uploaded through one replica is
        # served by all of them from the store
        assert not services[name].get("volumes"), name
    assert services["versitygw"]["image"] == "versity/versitygw:v1.8.0"


def test_compose_refuses_to_start_without_a_media_bucket():
    env = {k: v for k, v in os.environ.items() if k != "MEDIA_S3_BUCKET"}
    env.update(DJANGO_SECRET_KEY="placeholder-for-config-only", GOFLAGS="-mod=mod")
    result = subprocess.run(
        ["go", "run", ".", str(ROOT / "docker-compose.yml")],
        cwd=ROOT / ".ci" / "compose-config",
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode != 0
    assert "MEDIA_S3_BUCKET" in result.stderr


def test_compose_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env.update(MEDIA_S3_BUCKET="ocop-media", GOFLAGS="-mod=mod")
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

    from marketplace.health.views import ReadinessView

    path = url.split("localhost:8000", 1)[1]
    assert path == "/healthz/ready/"
    assert resolve(path).func.view_class is ReadinessView


def test_compose_payos_standin_is_test_only_and_posts_webhooks_to_web():
    """The stand-in runs only under `--profile dev`, and web does not
    point at it by default: its keys are public (review of issue 16), so a
    deploy that forgets its payOS keys offers no VietQR rather than one
    anyone can mark paid."""
    config = _compose_config()
    standin = config["services"]["payos-standin"]
    assert standin.get("profiles") == ["dev"]
    assert "marketplace.payments.payos_standin" in " ".join(standin["command"])
    assert "http://web:8000/payments/payos/webhook/" in standin["command"]
    web = config["services"]["web"]["environment"]
    for name in ("PAYOS_CLIENT_ID", "PAYOS_API_KEY", "PAYOS_CHECKSUM_KEY", "PAYOS_BASE_URL"):
        assert not web.get(name), name
    assert web["PAYOS_ALLOW_STANDIN"] == "0"
    assert "web" in web["DJANGO_ALLOWED_HOSTS"].split(",")
