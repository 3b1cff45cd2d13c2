"""Media on the S3 object store (marketplace.core.storages), against the real
versitygw that `.ci/services.sh start` runs on 127.0.0.1:7070: photos and
thumbnails are public objects, Wagtail documents are private and served by
presigned URLs that expire at the store, and a store that is down or hangs
costs a photo, never a page or a producer's other edits.

Nothing here is skipped: without versitygw the module fails and says how to
start it.
"""

import io
import os
import re
import time
import urllib.error
import urllib.request
import uuid

import boto3
import pytest
from botocore.config import Config
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse
from django.utils.functional import empty
from oscar.core.loading import get_model
from PIL import Image
from sorl.thumbnail import default as sorl_default
from wagtail.documents import get_document_model

from marketplace.core.storages import MediaStorage, MediaStoreUnavailable
from marketplace.producers.models import WorkspaceChange
from tests.core.test_production_settings import PRODUCTION_ENV, _manage
from tests.factories import certified_product_create, producer_create
from tests.producers.workspace.conftest import member_create

ProductImage = get_model("catalogue", "ProductImage")

pytestmark = pytest.mark.django_db

ENDPOINT = os.environ.get("OCOP_VERSITYGW_URL", "http://127.0.0.1:7070")
ACCESS_KEY = os.environ.get("OCOP_VERSITYGW_ACCESS_KEY", "ocop-test-access")
SECRET_KEY = os.environ.get("OCOP_VERSITYGW_SECRET_KEY", "ocop-test-secret-not-secret")


def _s3():
    """boto3 straight at the store, to see what is really there."""
    return boto3.client(
        "s3",
        endpoint_url=ENDPOINT,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name="us-east-1",
        config=Config(
            s3={"addressing_style": "path"}, connect_timeout=2, retries={"max_attempts": 1}
        ),
    )


@pytest.fixture(scope="module")
def store():
    try:
        _s3().list_buckets()
    except Exception as error:  # noqa: BLE001  (any failure means the same thing here)
        pytest.fail(
            f"versitygw is not answering at {ENDPOINT} with the test keys ({error}); "
            "start it with `.ci/services.sh install && .ci/services.sh start`",
            pytrace=False,
        )
    return _s3()


def _options(bucket: str, endpoint: str = ENDPOINT, **extra) -> dict:
    return {
        "bucket_name": bucket,
        "endpoint_url": endpoint,
        "access_key": ACCESS_KEY,
        "secret_key": SECRET_KEY,
        "region_name": "us-east-1",
        "addressing_style": "path",
        "signature_version": "s3v4",
        "file_overwrite": False,
        "url_protocol": "http:",
        "connect_timeout": 1,
        "read_timeout": 1,
        **extra,
    }


def _use_store(settings, bucket: str, endpoint: str = ENDPOINT, **extra) -> None:
    """Point the default and private storages at `bucket` as production
    settings do, and make sorl (which keeps its own storage) follow."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "marketplace.core.storages.MediaStorage",
            "OPTIONS": _options(
                bucket, endpoint, location="media", querystring_auth=False, **extra
            ),
        },
        "private": {
            "BACKEND": "marketplace.core.storages.MediaStorage",
            "OPTIONS": _options(bucket, endpoint, location="private", public_prefixes=()),
        },
    }
    settings.WAGTAILDOCS_SERVE_METHOD = "redirect"
    sorl_default.storage._setup()


@pytest.fixture
def bucket(store, settings):
    """A fresh bucket for the test, prepared as `media_store_prepare` does."""
    name = f"ocop-test-{uuid.uuid4().hex[:12]}"
    _use_store(settings, name)
    storages["default"].bucket_prepare()
    yield name
    for page in store.get_paginator("list_objects_v2").paginate(Bucket=name):
        for item in page.get("Contents", []):
            store.delete_object(Bucket=name, Key=item["Key"])
    store.delete_bucket(Bucket=name)
    # sorl keeps its storage: make it look again once `settings` has put
    # the local one back (after this teardown)
    sorl_default.storage._wrapped = empty


def _jpeg(size=(480, 360)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (180, 90, 40)).save(out, format="JPEG")
    return out.getvalue()


def _get(url: str) -> tuple[int, bytes]:
    """A browser's GET: no credentials, whatever the store answers."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (our test URL)
            return response.status, response.read()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read()


def _photo_add(product) -> ProductImage:
    image = ProductImage(product=product, display_order=0)
    image.original.save(f"anh-{uuid.uuid4().hex[:8]}.jpg", ContentFile(_jpeg()))
    return image


def test_an_uploaded_photo_is_an_object_in_the_bucket(bucket, store):
    # given a product, when a photo is saved through the default storage
    product = certified_product_create(title="Chè Shan tuyết")
    image = _photo_add(product)
    # then the store holds those bytes under the public media prefix
    key = f"media/{image.original.name}"
    assert image.original.name.startswith("images/products/")
    assert store.get_object(Bucket=bucket, Key=key)["Body"].read() == _jpeg()
    # and its URL is plain (no signature) and readable by anyone
    url = image.original.url
    assert url.startswith(f"{ENDPOINT}/{bucket}/{key}") and "Signature" not in url
    assert _get(url) == (200, _jpeg())


def test_a_thumbnail_is_made_on_the_store_and_served_from_it(bucket, store, client):
    # given a product with a photo on the store
    product = certified_product_create(title="Mật ong bạc hà")
    _photo_add(product)
    # when its page is shown
    html = client.get(product.get_absolute_url()).content.decode()
    # then the gallery's image is a sorl thumbnail on the store, not the illustration
    gallery = html[html.index('data-testid="product-gallery"') :]
    src = re.search(r'<img src="([^"]+)"', gallery)[1]
    assert src.startswith(f"{ENDPOINT}/{bucket}/media/cache/"), src
    assert "sector-illustration" not in gallery[: gallery.index("</div>")]
    key = src.removeprefix(f"{ENDPOINT}/{bucket}/")
    assert store.head_object(Bucket=bucket, Key=key)["ContentLength"] > 0
    # and a browser gets it from the store, 480x360 kept (720 is no upscale)
    status, body = _get(src)
    assert status == 200 and Image.open(io.BytesIO(body)).size == (480, 360)


def test_a_wagtail_document_is_private_and_served_by_a_presigned_url(bucket, store, client):
    # given a document uploaded through Wagtail's model
    document = get_document_model().objects.create(
        title="Quyết định công nhận OCOP", file=ContentFile(b"%PDF-1.4 decision", name="qd.pdf")
    )
    key = f"media/{document.file.name}"
    assert store.get_object(Bucket=bucket, Key=key)["Body"].read() == b"%PDF-1.4 decision"
    # then the store refuses it to anyone without a signature
    status, _body = _get(f"{ENDPOINT}/{bucket}/{key}")
    assert status == 403
    # and the shop's document link redirects to a signed URL that works
    response = client.get(document.url)
    assert response.status_code == 302
    signed = response["Location"]
    assert signed.startswith(f"{ENDPOINT}/{bucket}/{key}?") and "X-Amz-Signature" in signed
    assert _get(signed) == (200, b"%PDF-1.4 decision")


def test_an_expired_presigned_url_gets_the_stores_403_and_a_fresh_link_works(
    bucket, settings, client
):
    # given documents signed for one second
    _use_store(settings, bucket, querystring_expire=1)
    document = get_document_model().objects.create(
        title="Danh sách", file=ContentFile(b"list", name="ds.pdf")
    )
    signed = client.get(document.url)["Location"]
    # when the link is followed after it expired
    time.sleep(2.5)
    status, body = _get(signed)
    # then the store refuses it (its own 403, not anything of ours)
    assert status == 403 and b"AccessDenied" in body
    # and the shop, asked again, signs a new one without an error
    again = client.get(document.url)
    assert again.status_code == 302 and _get(again["Location"]) == (200, b"list")


def test_operators_private_uploads_are_never_public(bucket, store):
    name = storages["private"].save("registry/uploads/ds.csv", ContentFile(b"ten,sdt\n"))
    key = f"private/{name}"
    assert store.get_object(Bucket=bucket, Key=key)["Body"].read() == b"ten,sdt\n"
    assert _get(f"{ENDPOINT}/{bucket}/{key}")[0] == 403
    assert _get(storages["private"].url(name)) == (200, b"ten,sdt\n")


def test_preparing_the_bucket_twice_keeps_it_and_its_objects(bucket, store):
    storages["default"].save("images/products/x.jpg", ContentFile(_jpeg()))
    assert storages["default"].bucket_prepare() is False
    assert store.head_object(Bucket=bucket, Key="media/images/products/x.jpg")


# --- the store down or hanging ----------------------------------------------


@pytest.fixture(params=["down", "hanging"])
def broken_endpoint(request, dead_port, hanging_server) -> str:
    """The store's address once it broke: a port where nothing listens, or a
    peer that accepts connections and never answers."""
    port = dead_port if request.param == "down" else hanging_server.port
    return f"http://127.0.0.1:{port}"


def test_with_the_store_unreachable_the_product_page_shows_the_sector_illustration(
    bucket, settings, client, broken_endpoint, hanging_server
):
    # given a product whose three photos reached the store, with no
    # thumbnails made yet (six to make: three slides, three small ones)
    product = certified_product_create(title="Nước mắm Vạn Phần", sector="food")
    for _ in range(3):
        _photo_add(product)
    # when the store stops answering and the page is asked for
    _use_store(settings, bucket, endpoint=broken_endpoint)
    started = time.monotonic()
    response = client.get(product.get_absolute_url())
    took = time.monotonic() - started
    # then the page renders, each slide showing the food illustration
    assert response.status_code == 200
    html = response.content.decode()
    gallery = html[html.index('data-testid="product-gallery"') :]
    gallery = gallery[: gallery.index("</ol>")]
    assert gallery.count("img/sectors/food.svg") == 3
    assert "/media/cache/" not in gallery
    # and within one wait for the store (1 s, two tries), not one per
    # thumbnail: after the first failure the process stops asking for a
    # while, so a hanging store was asked once (two tries), not six times
    assert took < 15, took
    if broken_endpoint.endswith(f":{hanging_server.port}"):
        assert hanging_server.connections <= 2


def test_with_the_store_unreachable_an_upload_fails_in_vietnamese_and_changes_nothing(
    bucket, settings, client, broken_endpoint
):
    # given a producer's product with one photo on the store
    producer = producer_create(f"HTX Gốm {uuid.uuid4().hex[:6]}")
    product = certified_product_create(title="Gốm Chu Đậu", producer=producer)
    user = member_create(producer, f"member-{uuid.uuid4().hex[:6]}")
    kept = _photo_add(product)
    price_before = product.stockrecords.get().price
    # when they upload another photo while the store is down (or hanging)
    _use_store(settings, bucket, endpoint=broken_endpoint)
    client.force_login(user)
    upload = ContentFile(_jpeg(), name="moi.jpg")
    response = client.post(
        reverse("workspace:image-add", args=[product.pk]), {"image": upload}, follow=True
    )
    # then they are told in Vietnamese, on their product's page
    assert response.status_code == 200
    assert "Kho ảnh đang không phản hồi" in response.content.decode()
    # and nothing changed: the old photo, the price, no half-made row or record
    assert list(product.images.all()) == [kept]
    assert product.stockrecords.get().price == price_before
    assert not WorkspaceChange.objects.exists()
    # and removing the photo is refused the same way, keeping it
    response = client.post(
        reverse("workspace:image-delete", args=[product.pk, kept.pk]), follow=True
    )
    assert "Kho ảnh đang không phản hồi" in response.content.decode()
    assert list(product.images.all()) == [kept]


def test_a_write_to_a_dead_store_raises_an_oserror(store, dead_port):
    storage = MediaStorage(**_options("any", f"http://127.0.0.1:{dead_port}"))
    with pytest.raises(MediaStoreUnavailable) as raised:
        storage.save("images/x.jpg", ContentFile(b"x"))
    assert isinstance(raised.value, OSError)


# --- production settings -----------------------------------------------------


def test_production_settings_put_media_and_documents_on_the_store(store):
    # given production settings with the MEDIA_S3_* variables
    bucket = f"ocop-prod-{uuid.uuid4().hex[:10]}"
    env = {
        **PRODUCTION_ENV,
        "MEDIA_S3_BUCKET": bucket,
        "MEDIA_S3_ENDPOINT_URL": ENDPOINT,
        "MEDIA_S3_ACCESS_KEY_ID": ACCESS_KEY,
        "MEDIA_S3_SECRET_ACCESS_KEY": SECRET_KEY,
        "MEDIA_S3_PUBLIC_URL": "https://media.ocop.example.vn/store",
        "MEDIA_S3_PRESIGN_URL": "https://s3.ocop.example.vn",
    }
    try:
        # when the bucket is prepared and a file is stored
        prepared = _manage("media_store_prepare", env=env)
        assert prepared.returncode == 0, prepared.stderr
        assert f"media bucket {bucket}: created" in prepared.stdout
        shell = _manage(
            "shell",
            "--verbosity=0",
            "-c",
            "from django.core.files.base import ContentFile as C;"
            "from django.core.files.storage import storages as s;"
            "n = s['default'].save('images/products/a.jpg', C(b'a'));"
            "print(s['default'].url(n)); print(s['default'].url('documents/d.pdf'));"
            "print(s['private'].url('registry/uploads/u.csv'))",
            env=env,
        )
        assert shell.returncode == 0, shell.stderr
        photo, document, upload = shell.stdout.split()
        # then the photo is on the store, its URL the public address's
        assert store.get_object(Bucket=bucket, Key="media/images/products/a.jpg")
        assert photo == "https://media.ocop.example.vn/store/media/images/products/a.jpg"
        # and documents and uploads are signed for the store's public address
        assert document.startswith(f"https://s3.ocop.example.vn/{bucket}/media/documents/d.pdf?")
        assert upload.startswith(f"https://s3.ocop.example.vn/{bucket}/private/registry/uploads/")
        assert "X-Amz-Signature" in document and "X-Amz-Signature" in upload
    finally:
        for item in store.list_objects_v2(Bucket=bucket).get("Contents", []):
            store.delete_object(Bucket=bucket, Key=item["Key"])
        store.delete_bucket(Bucket=bucket)
