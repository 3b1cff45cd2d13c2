"""What one web process learns, the other knows on the next request: a page
it cached, failed sign-ins it counted, OpenSearch found down, a photo a
producer uploaded. Each test makes one process learn it (through nginx,
which alternates, or at a process's own address) and asks the other.

Per process by design, and so not tested here: the Redis cache's own
breaker (marketplace.core.cache) and the media store's
(marketplace.core.storages), which each process trips for itself at the
cost of one timeout, since they guard the shared place a flag would live.
"""

import io
import re
import secrets
import time

import redis
import requests
from PIL import Image

from tests.multiprocess.balancer import PatientVisit as Visit
from tests.multiprocess.balancer import served_by

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LOGIN = "/shop/accounts/login/"


def _other(site, web: str) -> str:
    return next(other for other in site.WEBS if other != web)


def _form_token(response) -> str:
    found = CSRF_FIELD.search(response.text)
    assert found, f"no CSRF field on {response.url}"
    return found.group(1)


def _sign_in(visit: Visit, email: str, password: str, *, token: str = "", at: str = ""):
    """Post the sign-in form (fetched first unless `token` is given),
    through nginx or at one process's own address `at`."""
    if not token:
        token = _form_token(visit.get(LOGIN))
    return visit.session.post(
        (at or visit.site.base_url) + LOGIN,
        data={
            "csrfmiddlewaretoken": token,
            "login-username": email,
            "login-password": password,
            "login_submit": "1",
        },
        allow_redirects=False,
        timeout=30,
    )


def test_a_page_one_process_rendered_is_served_by_the_other_from_the_cache(both):
    site = both
    # a new catalogue generation: nothing cached for it yet
    site.sql("UPDATE pagecache_cataloguegeneration SET value = value + 1 WHERE id = 1")
    first = Visit(site).get("/shop/")
    second = Visit(site).get("/shop/")
    assert first.headers["X-Page-Cache"] == "miss"
    assert second.headers["X-Page-Cache"] == "hit"
    assert site.web_of(served_by(first)) != site.web_of(served_by(second))
    assert second.text == first.text


def test_failed_sign_ins_count_in_both_processes_and_lock_the_account(both, people):
    site = both
    visit = Visit(site)
    token = _form_token(visit.get(LOGIN))
    answers = []
    for _ in range(5):  # LOGIN_FAILURE_LIMIT, the processes taking turns
        failed = _sign_in(visit, people.lockout_email, "sai-mat-khau", token=token)
        answers.append((site.web_of(served_by(failed)), failed.status_code))
    # four wrong passwords get the form again, two from each process; the
    # fifth locks the account, whichever process it reached
    assert [status for _web, status in answers] == [200, 200, 200, 200, 429], answers
    assert {web for web, _status in answers[:4]} == set(site.WEBS), answers
    # had each process counted alone, neither would have reached five
    for web in site.WEBS:
        right = _sign_in(
            visit, people.lockout_email, people.password, token=token, at=site.web_url(web)
        )
        assert right.status_code == 429, f"the right password signed in on {web}"
        assert "Retry-After" in right.headers


def test_opensearch_found_down_by_one_process_is_skipped_by_the_other(both, product):
    site = both
    marker = "OpenSearch failed"
    before = {web: len(site.log_lines(web, marker)) for web in site.WEBS}
    words = product.path.strip("/").split("/")[-1].split("-")[:2]
    query = " ".join(words)
    try:
        # web-a finds OpenSearch down and says so once
        site.web_fault_apply("web-a", "opensearch", "down")
        answer_a = _search(site, "web-a", query)
        assert answer_a.status_code == 200
        assert len(site.log_lines("web-a", marker)) > before["web-a"]
        # web-b's way to OpenSearch now hangs: had it not heard, it would
        # wait out its timeout and log the outage itself
        site.web_fault_apply("web-b", "opensearch", "hanging")
        started = time.monotonic()
        answer_b = _search(site, "web-b", query)
        elapsed = time.monotonic() - started
        assert answer_b.status_code == 200
        assert 'data-testid="product-card"' in answer_b.text, "the database answered nothing"
        assert len(site.log_lines("web-b", marker)) == before["web-b"], (
            f"web-b asked OpenSearch itself ({elapsed:.2f} s)"
        )
    finally:
        site.web_faults_clear()
        client = redis.Redis.from_url(site.config.redis_url)
        for key in client.scan_iter("*search:opensearch:open-until*"):
            client.delete(key)


def _search(site, web: str, query: str):
    """A search at one process's own address, with a parameter of its own
    so no cached page answers it."""
    return requests.get(
        site.web_url(web) + "/shop/search/",
        params={"q": query, "_": secrets.token_hex(4)},
        timeout=30,
    )


def test_a_photo_uploaded_through_one_process_is_served_through_the_other(both, product, people):
    site = both
    producer = Visit(site)
    signed_in = _sign_in(producer, people.producer_email, people.password)
    assert signed_in.status_code == 302, "the producer could not sign in"
    edit_path = f"/dashboard/workspace/products/{product.pk}/"
    edit = producer.get(edit_path)
    assert edit.status_code == 200, edit.status_code
    photo = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 40, 90)).save(photo, "JPEG")
    uploaded = producer.post(
        f"/dashboard/workspace/products/{product.pk}/images/",
        data={"csrfmiddlewaretoken": _form_token(edit)},
        files={"image": ("nhieu-may.jpg", photo.getvalue(), "image/jpeg")},
    )
    assert uploaded.status_code == 302, uploaded.text[-2000:]
    upload_web = site.web_of(served_by(uploaded))
    (image_id, original_name) = site.sql(
        "SELECT id, original FROM catalogue_productimage WHERE product_id = %s "
        "ORDER BY id DESC LIMIT 1",
        (product.pk,),
    )[0]
    assert "nhieu-may" in original_name
    try:
        _photo_served_by_the_other(site, product, upload_web, original_name, photo.getvalue())
    finally:
        # the site database is the fault suite's too, whose site keeps
        # media on local disk: a photo only the store has is not for it
        site.sql("DELETE FROM catalogue_productimage WHERE id = %s", (image_id,))


def _photo_served_by_the_other(site, product, upload_web, original_name, photo_bytes):
    # the next request nginx takes goes to the other process
    shopper = Visit(site)
    page = shopper.get(product.path)
    page_web = site.web_of(served_by(page))
    assert page_web != upload_web
    bucket_prefix = f"/media-store/{site.bucket}/"
    sources = [
        src for src in re.findall(r'<img[^>]+src="([^"]+)"', page.text) if bucket_prefix in src
    ]
    assert sources, "the product page shows no photo from the store"
    for src in sources:
        got = shopper.session.get(src, timeout=30)
        assert got.status_code == 200, (src, got.status_code)
        assert got.headers["Content-Type"].startswith("image/")
    original = shopper.session.get(
        f"{site.base_url}{bucket_prefix}media/{original_name}", timeout=30
    )
    assert original.status_code == 200
    assert original.content == photo_bytes
