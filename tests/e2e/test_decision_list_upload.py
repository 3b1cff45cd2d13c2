"""An operator imports a province's decision list in a real browser: upload,
preview (rows to import, skipped, rejected), confirm, and the finished run."""

import os

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from marketplace.demo import content
from marketplace.ocop.models import RecordSource
from marketplace.registry.models import SyncRun, SyncStatus
from tests.registry import decision_list_files as files

pytestmark = pytest.mark.e2e


def _sign_in(page, base_url: str, email: str, password: str) -> None:
    page.goto(base_url + reverse("customer:login"))
    page.locator("#id_login-username").fill(email)
    page.locator("#id_login-password").fill(password)
    page.locator("#login_form button[type=submit]").click()
    page.wait_for_load_state()


def _shot(page, name: str) -> None:
    directory = os.environ.get("SCREENSHOTS_DIR")
    if directory:
        page.screenshot(path=os.path.join(directory, name), full_page=True)


def test_an_operator_uploads_previews_and_confirms_a_decision_list(
    browser, live_demo, settings, tmp_path
):
    # given the operator, and a province's list with layout rows and one bad row
    settings.MEDIA_ROOT = tmp_path / "media"
    listing = files.operator_upload_list(tmp_path)
    base = live_demo.url
    page = browser.new_page(viewport={"width": 390, "height": 844})
    _sign_in(page, base, content.OPERATOR_EMAIL, "test-operator-pass")

    # when they choose the file on the sync page and upload it
    page.goto(base + reverse("dashboard:registry-sync-runs"))
    _shot(page, "registry-sync-page.png")
    page.get_by_label("Tệp danh sách (.xlsx hoặc .csv)").set_input_files(listing)
    page.get_by_test_id("upload-submit").click()
    page.wait_for_url("**/dashboard/registry/upload/*/")

    # then the preview shows the decision, rows to import, skipped and rejected
    assert page.get_by_test_id("preview-decision-number").inner_text() == "1234/QĐ-UBND"
    assert page.get_by_test_id("count-to-import").inner_text() == "4"
    assert page.get_by_test_id("count-skipped").inner_text() == "5"
    assert page.get_by_test_id("count-rejected").inner_text() == "1"
    rejected = page.get_by_test_id("preview-rejected").inner_text()
    assert "15" in rejected and "số sao không hợp lệ" in rejected
    assert "Dòng nhóm" in page.get_by_test_id("preview-skipped").inner_text()
    _shot(page, "decision-list-preview.png")

    # when they confirm
    page.get_by_test_id("upload-confirm").click()
    page.wait_for_url("**/dashboard/registry/*/")

    # then the run page shows it finished, with its counts and the rejected row
    run = SyncRun.objects.get(source_kind=RecordSource.DECISION_LIST)
    assert page.url == base + reverse("dashboard:registry-sync-run", args=[run.pk])
    assert run.status == SyncStatus.SUCCEEDED
    assert page.get_by_test_id("run-status").inner_text() == "Thành công"
    counts = page.get_by_test_id("run-counts").inner_text()
    # the demo's national snapshot may already hold some of these Hà Nội products
    assert run.created + run.matched_national + run.updated + run.unchanged == 4
    assert f"Tạo mới\t{run.created}" in counts
    assert "Bỏ qua (dòng trình bày)\t5" in counts and "Từ chối\t1" in counts
    assert "số sao không hợp lệ" in page.get_by_test_id("run-rejections").inner_text()
    _shot(page, "decision-list-run.png")

    # and the rejected records page lists the bad row as still failing
    page.get_by_role("link", name="Mọi bản ghi còn lỗi").click()
    record = page.get_by_test_id("rejected-record")
    expect(record).to_have_count(1)
    assert "còn lỗi" in record.inner_text() and "dòng 15" in record.inner_text()
    _shot(page, "rejected-records.png")
    page.close()
