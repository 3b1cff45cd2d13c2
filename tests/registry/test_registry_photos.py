"""Product photos from the registry (issue 15, finding 12): the sync records
the URLs a record names and the photo pass fetches them through the registry
client, over real HTTP from the stand-in, with type, size and host checks. A
bad photo is refused with a reason; the certificate syncs all the same."""

import io

import pytest
from django.core.files.storage import default_storage
from oscar.core.loading import get_model
from PIL import Image

from marketplace.ocop.models import Certificate
from marketplace.registry.client import ImageRefused, RegistryClient, image_url_resolve
from marketplace.registry.models import PhotoStatus, RegistryPhoto
from marketplace.registry.services import certificate_sync, photos_fetch
from marketplace.registry.standin.photos import render_photo
from marketplace.registry.standin.server import StandinServer
from tests.registry.records import registry_record

Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _sync_and_fetch(client):
    run = certificate_sync(client=client)
    return run, photos_fetch(client=client, run=run)


def _pictures(registry_id: int) -> list:
    return list(Product.objects.get(certificate__registry_id=registry_id).images.all())


def test_a_record_with_a_photo_url_gets_the_photo_through_the_client(standin, registry_client):
    # given a registry whose record names a photo on the registry itself
    standin.set_records([registry_record(1, type="drink", image="/media/ocop/1.jpg")])
    # when we sync and the photo pass runs
    run, result = _sync_and_fetch(registry_client)
    # then the product has that photo, fetched over HTTP from the registry
    assert (run.status, result.imported, result.refused) == ("succeeded", 1, 0)
    assert standin.media_log == ["/media/ocop/1.jpg"]
    (picture,) = _pictures(1)
    with default_storage.open(picture.original.name) as handle:
        stored = handle.read()
    assert stored == render_photo("drink", 1, 0)
    assert Image.open(io.BytesIO(stored)).format == "JPEG"
    photo = RegistryPhoto.objects.get()
    assert (photo.status, photo.image_id, photo.url) == (
        "imported",
        picture.pk,
        "/media/ocop/1.jpg",
    )


def test_a_list_of_urls_gives_every_photo_in_order(standin, registry_client):
    urls = ["/media/ocop/1.jpg", "/media/ocop/1-1.png", "/media/ocop/1-2.webp"]
    standin.set_records([registry_record(1, image=urls)])
    _sync_and_fetch(registry_client)
    pictures = _pictures(1)
    assert [p.display_order for p in pictures] == [0, 1, 2]
    assert [p.original.name.rsplit(".", 1)[1] for p in pictures] == ["jpg", "png", "webp"]


def test_a_resync_with_the_same_urls_fetches_nothing_and_adds_nothing(standin, registry_client):
    # given a product whose photo was imported
    standin.set_records([registry_record(1, image="/media/ocop/1.jpg")])
    _sync_and_fetch(registry_client)
    # when the same record is synced twice more
    _sync_and_fetch(registry_client)
    run, result = _sync_and_fetch(registry_client)
    # then nothing was fetched again and the product still has one photo
    assert standin.media_log == ["/media/ocop/1.jpg"]
    assert (run.unchanged, result.imported) == (1, 0)
    assert len(_pictures(1)) == 1 and RegistryPhoto.objects.count() == 1


def test_a_changed_url_replaces_the_photo_and_removes_the_old_file(standin, registry_client):
    standin.set_records([registry_record(1, image="/media/ocop/1.jpg")])
    _sync_and_fetch(registry_client)
    (old,) = _pictures(1)
    old_name = old.original.name
    # when the registry names another photo
    standin.set_records([registry_record(1, image="/media/ocop/1-2.png")])
    run, result = _sync_and_fetch(registry_client)
    # then the new photo replaces the old one, whose file is gone
    (new,) = _pictures(1)
    assert new.original.name.endswith(".png") and new.display_order == 0
    assert (result.imported, result.removed) == (1, 1)
    assert not default_storage.exists(old_name)
    assert RegistryPhoto.objects.get().url == "/media/ocop/1-2.png"
    # and a record that names no photo any more leaves the product without one
    standin.set_records([registry_record(1, image=None)])
    _sync_and_fetch(registry_client)
    assert _pictures(1) == [] and not RegistryPhoto.objects.exists()


def _small(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (200, 120, 40)).save(out, format=fmt)
    return out.getvalue()


@pytest.mark.parametrize(
    ("served", "reason"),
    [
        pytest.param(
            {"body": b"<html>maintenance</html>", "content_type": "text/html"},
            "content type not allowed",
            id="html-content-type",
        ),
        pytest.param(
            {"body": b"<html>not a photo</html>", "content_type": "image/jpeg"},
            "not a readable image",
            id="not-an-image",
        ),
        pytest.param(
            {"body": _small("JPEG")[:300], "content_type": "image/jpeg"},
            "not a readable image",
            id="truncated-jpeg",
        ),
        pytest.param(
            {"body": _small("PNG"), "content_type": "image/jpeg"}, "type mismatch", id="png-as-jpeg"
        ),
        pytest.param({"body": b"x" * 6000, "content_type": "image/jpeg"}, "too large", id="big"),
        pytest.param({"body": b"gone", "status": 404}, "HTTP 404", id="http-404"),
    ],
)
def test_a_bad_photo_is_refused_with_a_reason_and_the_certificate_syncs(
    standin, registry_client, settings, served, reason
):
    # given a record whose photo the registry serves badly (at most 5 KB allowed)
    settings.REGISTRY_IMAGE_MAX_BYTES = 5000
    standin.set_media("/media/bad.jpg", **served)
    standin.set_records([registry_record(1, image="/media/bad.jpg")])
    # when we sync and fetch
    run, result = _sync_and_fetch(registry_client)
    # then the certificate is synced and listed as usual, without the photo
    assert (run.status, run.created, run.rejected) == ("succeeded", 1, 0)
    assert Certificate.objects.get(registry_id=1).status == "valid"
    assert _pictures(1) == []
    # and the refusal is recorded with its reason, and told on the run
    photo = RegistryPhoto.objects.get()
    assert photo.status == PhotoStatus.REFUSED and reason in photo.reason
    assert (result.refused, result.imported) == (1, 0)
    run.refresh_from_db()
    assert "photos refused" in run.alert and reason in run.alert
    # and it is not fetched again on the next sync
    requests = len(standin.media_log)
    _sync_and_fetch(registry_client)
    assert len(standin.media_log) == requests


def test_a_photo_too_big_is_not_read_past_the_limit(standin, registry_client, settings):
    # given a photo 40 times the limit, sent without announcing its length
    settings.REGISTRY_IMAGE_MAX_BYTES = 5000
    standin.set_media("/media/huge.jpg", b"\xff" * 200_000, announce_length=False)
    image = None
    with pytest.raises(ImageRefused, match="too large"):
        image = registry_client.fetch_image("/media/huge.jpg", max_bytes=5000)
    assert image is None


@pytest.fixture
def elsewhere():
    """Another server on this machine: an internal service a record must not reach."""
    server = StandinServer([registry_record(1, type="food")]).start()
    yield server
    server.stop()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://127.0.0.1/photo.jpg",
        "http://169.254.169.254/latest/meta-data/",
        "http://user:pass@{registry}/media/ocop/1.jpg",
        "{elsewhere}/media/ocop/1.jpg",
        "javascript:alert(1)",
        {"url": "/media/ocop/1.jpg"},
    ],
)
def test_a_photo_off_the_registrys_host_is_refused_without_a_request(
    standin, registry_client, elsewhere, url
):
    # given a record naming a photo that is not on the registry's host
    if isinstance(url, str):
        url = url.format(elsewhere=elsewhere.url, registry=standin.url.removeprefix("http://"))
    standin.set_records([registry_record(1, image=url)])
    # when we sync and fetch
    run, result = _sync_and_fetch(registry_client)
    # then it is refused, nothing was asked of the other server, the certificate synced
    photo = RegistryPhoto.objects.get()
    assert photo.status == PhotoStatus.REFUSED, photo.reason
    assert elsewhere.media_log == [] and standin.media_log == []
    assert (run.status, run.created, result.refused) == ("succeeded", 1, 1)


def test_a_redirect_off_the_registrys_host_is_refused(standin, registry_client, elsewhere):
    standin.set_media(
        "/media/moved.jpg",
        b"",
        status=302,
        headers={"Location": f"{elsewhere.url}/media/ocop/1.jpg"},
    )
    standin.set_records([registry_record(1, image="/media/moved.jpg")])
    _run, result = _sync_and_fetch(registry_client)
    assert result.refused == 1 and elsewhere.media_log == []
    assert "host not allowed" in RegistryPhoto.objects.get().reason


def test_a_host_operators_allow_is_fetched(standin, registry_client, elsewhere, settings):
    # given a CDN host the operator allows
    settings.REGISTRY_IMAGE_HOSTS = [elsewhere.url.removeprefix("http://")]
    standin.set_records([registry_record(1, image=f"{elsewhere.url}/media/ocop/1.jpg")])
    _run, result = _sync_and_fetch(registry_client)
    assert result.imported == 1 and elsewhere.media_log == ["/media/ocop/1.jpg"]


def test_image_url_rules():
    base = "https://ocop.example.vn/api"
    assert image_url_resolve("/m/1.jpg", base_url=base) == "https://ocop.example.vn/m/1.jpg"
    assert image_url_resolve("http://ocop.example.vn:443/1.jpg", base_url=base)
    cdn = image_url_resolve("https://img.cdn.vn/1.jpg", base_url=base, extra_hosts=[".cdn.vn"])
    assert cdn == "https://img.cdn.vn/1.jpg"
    named = image_url_resolve("/ảnh sản phẩm.jpg", base_url=base)
    assert named == "https://ocop.example.vn/%E1%BA%A3nh%20s%E1%BA%A3n%20ph%E1%BA%A9m.jpg"
    for refused in ("https://ocop.example.vn:8443/1.jpg", "https://evil.vn/1.jpg", " ", "x\n.jpg"):
        with pytest.raises(ImageRefused):
            image_url_resolve(refused, base_url=base, extra_hosts=["cdn.vn"])


def test_a_photo_the_network_failed_is_tried_again_on_the_next_pass(standin, registry_client):
    # given a photo server that answers 503 for now
    standin.set_media("/media/later.jpg", b"busy", status=503)
    standin.set_records([registry_record(1, image="/media/later.jpg")])
    run, result = _sync_and_fetch(registry_client)
    assert (run.status, result.retry_later, result.refused) == ("succeeded", 1, 0)
    assert RegistryPhoto.objects.get().status == PhotoStatus.PENDING
    # when it recovers, the next pass gets the photo
    standin.set_media("/media/later.jpg", render_photo("food", 1, 0))
    _run, result = _sync_and_fetch(registry_client)
    assert result.imported == 1 and len(_pictures(1)) == 1


def test_a_sync_that_fails_or_is_a_dry_run_records_and_fetches_no_photo(standin, registry_client):
    # given records with photos and a registry that drops its second page
    standin.set_records([registry_record(i, image=f"/media/ocop/{i}.jpg") for i in range(1, 16)])
    standin.set_faults(fail_pages=[2])
    run, result = _sync_and_fetch(registry_client)
    # then the failed sync leaves nothing to fetch, and nothing was fetched or stored
    assert run.status == "failed"
    assert not RegistryPhoto.objects.exists() and standin.media_log == []
    # nor does a dry run
    standin.reset_faults()
    run = certificate_sync(client=registry_client, dry_run=True)
    photos_fetch(client=registry_client)
    assert not RegistryPhoto.objects.exists() and standin.media_log == []


def test_a_snapshot_file_leaves_photos_waiting_for_a_registry(tmp_path):
    # given a snapshot file (it cannot serve photos)
    from marketplace.registry.client import SnapshotFileClient

    path = tmp_path / "snapshot.json"
    path.write_text(
        '[{"id": 1, "name": "Gạo", "type": "food", "ocop_star": 4, '
        '"ocop_certificate_number": "1/QĐ-UBND", "issued_on": "2025-01-02", '
        '"image": "/media/ocop/1.jpg", "manufacturer": {"name": "HTX A", '
        '"address": "Xã Bát Tràng, Thành phố Hà Nội"}}]',
        encoding="utf-8",
    )
    client = SnapshotFileClient(path)
    run, result = _sync_and_fetch(client)
    assert run.status == "succeeded" and result.imported == 0
    assert RegistryPhoto.objects.get().status == PhotoStatus.PENDING
    # and the stand-in serving the same records fetches it later
    with StandinServer([registry_record(1, image="/media/ocop/1.jpg")]) as server:
        _run, result = _sync_and_fetch(RegistryClient(server.url))
    assert result.imported == 1


def test_the_scheduled_sync_fetches_photos_after_it_commits(standin, settings):
    # given the beat's sync task pointed at the registry (tasks run eagerly here)
    from marketplace.registry.tasks import registry_sync_task

    settings.REGISTRY_MIN_INTERVAL = 0
    standin.set_records([registry_record(1, image="/media/ocop/1.jpg")])
    # when it runs
    registry_sync_task(standin.url)
    # then the photo task it queued has imported the photo
    assert len(_pictures(1)) == 1 and standin.media_log == ["/media/ocop/1.jpg"]


def test_sync_registry_command_fetches_photos_and_says_so(standin, settings):
    from io import StringIO

    from django.core.management import call_command

    settings.REGISTRY_MIN_INTERVAL = 0
    standin.set_records([registry_record(1, image="/media/ocop/1.jpg")])
    out = StringIO()
    call_command("sync_registry", "--source", standin.url, verbosity=0, stdout=out)
    assert "photos imported 1, refused 0" in out.getvalue()
    assert len(_pictures(1)) == 1


def test_a_photo_that_keeps_failing_is_given_up_after_five_passes(standin, registry_client):
    standin.set_media("/media/down.jpg", b"busy", status=503)
    standin.set_records([registry_record(1, image="/media/down.jpg")])
    run, _result = _sync_and_fetch(registry_client)
    for _ in range(4):
        photos_fetch(client=registry_client, run=run)
    photo = RegistryPhoto.objects.get()
    assert (photo.status, photo.attempts) == (PhotoStatus.REFUSED, 5)
    assert "HTTP 503" in photo.reason


def _media_files() -> list[str]:
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_no_file_is_left_without_its_picture(standin, registry_client, monkeypatch):
    # given two photos: a sync drops the first while it downloads, and the
    # second's picture cannot be written
    standin.set_records([registry_record(i, image=f"/media/ocop/{i}.jpg") for i in (1, 2)])
    certificate_sync(client=registry_client)
    fetch = registry_client.fetch_image

    def fetch_then_drop(url, **kwargs):
        image = fetch(url, **kwargs)
        if url.endswith("/1.jpg"):
            RegistryPhoto.objects.filter(url=url).update(status=PhotoStatus.DROPPED)
        return image

    monkeypatch.setattr(registry_client, "fetch_image", fetch_then_drop)
    ProductImage = get_model("catalogue", "ProductImage")
    save = ProductImage.save

    def save_fails_for_2(self, *args, **kwargs):
        if self.original.name.startswith("images/") and "ocop-2-" in self.original.name:
            raise RuntimeError("disk full")
        return save(self, *args, **kwargs)

    monkeypatch.setattr(ProductImage, "save", save_fails_for_2)
    # when the photo pass runs
    result = photos_fetch(client=registry_client)
    # then neither picture exists, no file was left behind, and the second waits
    assert (result.imported, result.retry_later) == (0, 1)
    assert not ProductImage.objects.exists()
    assert [f for f in _media_files() if "ocop-" in f] == []
    assert RegistryPhoto.objects.get(url="/media/ocop/2.jpg").status == PhotoStatus.PENDING
