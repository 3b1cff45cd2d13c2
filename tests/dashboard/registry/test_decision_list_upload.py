"""Operators upload a province's decision list: refused at the door when its
size or type is wrong, previewed, then imported through Celery on confirm."""

import os
import re
import time
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from marketplace.dashboard.registry import views
from marketplace.ocop.models import Certificate, RecordSource
from marketplace.registry import tasks
from marketplace.registry.models import SyncRun, SyncStatus
from marketplace.registry.uploads import UPLOAD_DIR, upload_safe_name, upload_storage
from tests.registry import decision_list_files as files

pytestmark = pytest.mark.django_db

UPLOAD_URL = "/dashboard/registry/upload/"


@pytest.fixture(autouse=True)
def uploads_storage(settings, tmp_path):
    """Media and private roots of the test's own; no search index is written
    from here."""
    settings.MEDIA_ROOT = tmp_path / "media"
    private = {**settings.STORAGES["private"], "OPTIONS": {"location": tmp_path / "private"}}
    settings.STORAGES = {**settings.STORAGES, "private": private}
    settings.OPENSEARCH_URL = ""
    return tmp_path / "media"


@pytest.fixture
def parser_calls(monkeypatch):
    """Every call the dashboard makes to the spreadsheet reader."""
    calls = []
    read = views.decision_list_read

    def spy(path):
        calls.append(path)
        return read(path)

    monkeypatch.setattr(views, "decision_list_read", spy)
    return calls


def _stored_uploads() -> list[str]:
    if not upload_storage().exists(UPLOAD_DIR):
        return []
    folders, _ = upload_storage().listdir(UPLOAD_DIR)
    return [
        f"{folder}/{name}"
        for folder in folders
        for name in upload_storage().listdir(f"{UPLOAD_DIR}/{folder}")[1]
    ]


def _upload(client, path, name=None):
    with open(path, "rb") as handle:
        return client.post(
            UPLOAD_URL, {"file": SimpleUploadedFile(name or path.name, handle.read())}
        )


def _count(html: str, testid: str) -> int:
    return int(re.search(rf'data-testid="{testid}">(\d+)<', html).group(1))


def _preview(client, tmp_path, **kwargs):
    response = _upload(client, files.operator_upload_list(tmp_path, **kwargs))
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", UPLOAD_URL),
        ("get", "/dashboard/registry/upload/abc/"),
        ("post", "/dashboard/registry/upload/abc/confirm/"),
        ("post", "/dashboard/registry/upload/abc/cancel/"),
        ("get", "/dashboard/registry/rejected/"),
    ],
)
def test_customers_cannot_upload_preview_confirm_or_see_rejections(
    client, django_user_model, tmp_path, parser_calls, method, path
):
    # given a signed-in customer
    user = django_user_model.objects.create_user("khach", "khach@example.vn", "pw-12345-xyz")
    client.force_login(user)
    # when they try an operator's upload page
    data = {"file": SimpleUploadedFile("a.xlsx", files.operator_upload_list(tmp_path).read_bytes())}
    response = client.post(path, data) if method == "post" else client.get(path)
    # then they are sent to log in, and nothing is stored, read or imported
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert (_stored_uploads(), parser_calls, SyncRun.objects.count()) == ([], [], 0)


@pytest.mark.parametrize("size", ["just over the limit", "far over the limit"])
def test_an_oversize_upload_is_refused_before_anything_reads_it(
    admin_client, settings, parser_calls, monkeypatch, size
):
    # given a 4 KB limit, and an HTML page named .xlsx that is larger:
    # were its type looked at first, the refusal would be about its type
    settings.REGISTRY_UPLOAD_MAX_BYTES = 4096
    length = 5000 if size == "just over the limit" else 50 * 4096 + 80 * 1024
    body = b"<html>" + b"x" * length
    if size == "far over the limit":
        # a body this large is refused from its Content-Length, before Django parses it
        monkeypatch.setattr(views, "_decision_list_upload", _must_not_be_reached)
    # when an operator uploads it
    response = admin_client.post(UPLOAD_URL, {"file": SimpleUploadedFile("ds.xlsx", body)})
    # then the sync page says it is too large, and nothing was parsed or stored
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tệp quá lớn" in html and "4,0" in html
    assert (parser_calls, _stored_uploads()) == ([], [])


def _must_not_be_reached(request):
    raise AssertionError("an oversize body was read")


@pytest.mark.parametrize(
    ("build", "name", "reason"),
    [
        (files.html_named_xlsx, None, "trang HTML"),
        (files.xls_named_xlsx, None, "Excel 97–2003 (.xls)"),
        (files.csv_named_xlsx, None, "không phải bảng tính Excel"),
        (files.two_row_header_list, "danh_sach.csv", "bảng tính Excel mang đuôi .csv"),
        (files.two_row_header_list, "danh_sach.pdf", "Chỉ nhận tệp Excel (.xlsx) hoặc CSV"),
        (None, "danh_sach.csv", "không ở mã UTF-8"),
    ],
)
def test_a_file_of_the_wrong_type_is_refused_with_a_reason(
    admin_client, tmp_path, parser_calls, build, name, reason
):
    # given a file whose name or content is not an .xlsx or UTF-8 .csv
    if build is None:
        path = tmp_path / "danh_sach.csv"
        path.write_bytes("STT;Tên;Nhóm\n1;Cà phê;Chè\n".encode("cp1258"))  # Windows Vietnamese
    else:
        path = build(tmp_path)
    # when an operator uploads it
    response = _upload(admin_client, path, name)
    # then the sync page shows the reason, with no traceback, and nothing was parsed or stored
    html = response.content.decode()
    assert response.status_code == 200
    assert reason in html
    assert 'data-testid="upload-error"' in html
    assert (parser_calls, _stored_uploads()) == ([], [])


def test_the_preview_counts_rows_to_import_skipped_and_rejected(admin_client, tmp_path):
    # given a list as a province prints it: two-row header, column numbers,
    # groups, a total and a note, and one row with unreadable stars
    preview = _preview(admin_client, tmp_path)
    # when the operator looks at the preview
    html = admin_client.get(preview).content.decode()
    # then it shows the decision, and 5 data rows: 4 to import, 1 rejected on its line
    assert "1234/QĐ-UBND" in html and "17/05/2024" in html
    assert _count(html, "count-recognised") == 5
    assert _count(html, "count-to-import") == 4
    assert _count(html, "count-rejected") == 1
    assert re.search(r"<td>15</td><td>số sao không hợp lệ: &#x27;nhiều sao&#x27;", html)
    # and 5 layout rows skipped, grouped by kind
    assert _count(html, "count-skipped") == 5
    for label in ("Dòng số thứ tự cột", "Dòng nhóm", "Dòng tổng", "Ghi chú"):
        assert label in html
    # and a confirm button, with nothing imported yet
    assert "Xác nhận nhập" in html
    assert (SyncRun.objects.count(), Certificate.objects.count()) == (0, 0)


def test_confirming_imports_the_list_and_deletes_the_upload(
    admin_client, tmp_path, django_capture_on_commit_callbacks
):
    # given a previewed upload
    preview = _preview(admin_client, tmp_path)
    admin_client.get(preview)
    assert len(_stored_uploads()) == 1
    # when the operator confirms it (the import is queued once the request commits)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(preview + "confirm/")
    # then the run imported the four good rows as a decision-list run, named by its file
    run = SyncRun.objects.get()
    assert response["Location"] == f"/dashboard/registry/{run.pk}/"
    assert run.status == SyncStatus.SUCCEEDED
    assert (run.source, run.source_kind) == ("danh_sach_ocop.xlsx", RecordSource.DECISION_LIST)
    assert (run.created, run.rejected, run.skipped) == (4, 1, 5)
    assert Certificate.objects.filter(source=RecordSource.DECISION_LIST).count() == 4
    # and the stored upload is gone, and the preview cannot be confirmed again
    assert _stored_uploads() == []
    assert admin_client.post(preview + "confirm/").status_code == 404
    # and the run page shows the outcome and the rejected row
    page = admin_client.get(response["Location"]).content.decode()
    assert "Thành công" in page and 'http-equiv="refresh"' not in page
    assert "số sao không hợp lệ" in page


def test_the_import_task_deletes_the_upload_even_when_the_import_fails(
    admin_client, tmp_path, monkeypatch
):
    # given a stored upload and an import that blows up
    _preview(admin_client, tmp_path)
    name = f"{UPLOAD_DIR}/{_stored_uploads()[0]}"
    run = SyncRun.objects.create(source="ds.xlsx", source_kind=RecordSource.DECISION_LIST)

    def boom(**kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(tasks, "decision_list_import", boom)
    # when the task runs
    tasks.decision_list_import_task(run.pk, name)
    # then the run failed with the reason, and the upload was deleted all the same
    run.refresh_from_db()
    assert run.status == SyncStatus.FAILED and "disk full" in run.error
    assert _stored_uploads() == []


def test_a_token_from_another_session_cannot_be_previewed_confirmed_or_cancelled(
    admin_client, admin_user, tmp_path, django_capture_on_commit_callbacks
):
    # given an upload previewed in one operator session
    preview = _preview(admin_client, tmp_path)
    admin_client.get(preview)
    # when another session of a staff user uses its token
    other = Client()
    other.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = other.post(preview + "confirm/")
    cancelled = other.post(preview + "cancel/")
    # then it finds nothing: no run, no import, and the upload is still there
    assert (other.get(preview).status_code, confirmed.status_code) == (404, 404)
    assert cancelled.status_code == 302
    assert (SyncRun.objects.count(), len(_stored_uploads())) == (0, 1)


def test_cancelling_deletes_the_stored_upload(admin_client, tmp_path):
    # given a previewed upload
    preview = _preview(admin_client, tmp_path)
    # when the operator cancels it
    response = admin_client.post(preview + "cancel/")
    # then the file is gone and the token with it
    assert response["Location"] == "/dashboard/registry/"
    assert _stored_uploads() == []
    assert admin_client.get(preview).status_code == 404


@pytest.mark.parametrize(
    ("build", "reason"),
    [
        (files.workbook_without_table, "Không tìm thấy dòng tiêu đề"),
        (files.empty_workbook, "mọi trang tính đều trống"),
        (files.damaged_workbook, "tệp bị hỏng"),
    ],
)
def test_a_file_level_error_shows_its_reason_and_no_confirm_button(
    admin_client, tmp_path, build, reason
):
    # given an .xlsx that passes the door but is no decision list
    response = _upload(admin_client, build(tmp_path))
    assert response.status_code == 302
    # when the operator opens its preview
    html = admin_client.get(response["Location"]).content.decode()
    # then the reason is shown, with no confirm button and no traceback
    assert 'data-testid="preview-error"' in html and reason in html
    assert "Xác nhận nhập" not in html and "Traceback" not in html
    # and a forged confirm imports nothing
    assert admin_client.post(response["Location"] + "confirm/").status_code == 302
    assert SyncRun.objects.count() == 0


def test_a_list_with_no_importable_row_has_no_confirm_button(admin_client, tmp_path):
    # given a list whose every row lacks its stars
    product = files.products(1)[0]
    rows = [[1, product.name, product.producer, product.address, product.product_set, None]]
    response = _upload(admin_client, files.one_row_header_list(tmp_path, rows))
    # when its preview is opened
    html = admin_client.get(response["Location"]).content.decode()
    # then the reason is on its row, and there is nothing to confirm
    assert _count(html, "count-to-import") == 0 and "missing stars" in html
    assert "Xác nhận nhập" not in html


def test_a_running_import_shows_its_progress_and_refreshes(admin_client):
    # given an import a worker is applying
    from django.core.cache import cache

    from marketplace.registry.services import PROGRESS_KEY

    run = SyncRun.objects.create(source="ds.xlsx", source_kind=RecordSource.DECISION_LIST)
    cache.set(PROGRESS_KEY.format(pk=run.pk), {"phase": "apply", "done": 500, "total": 1200})
    try:
        # when the operator opens its page
        html = admin_client.get(f"/dashboard/registry/{run.pk}/").content.decode()
    finally:
        cache.delete(PROGRESS_KEY.format(pk=run.pk))
    # then it shows how far it has got, and reloads itself
    assert "Đang ghi dữ liệu: 500 / 1200" in html
    assert '<meta http-equiv="refresh" content="2">' in html


def test_an_upload_without_the_csrf_token_is_refused(admin_user, tmp_path, parser_calls):
    # given an operator's browser that enforces CSRF, posting from elsewhere
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    # when a list is posted to the upload without the form's token
    response = _upload(client, files.operator_upload_list(tmp_path))
    # then it is refused, and nothing is stored or read
    assert response.status_code == 403
    assert (_stored_uploads(), parser_calls) == ([], [])


def test_a_confirm_before_the_preview_goes_to_the_preview(admin_client, tmp_path):
    # given an upload whose preview was never opened
    preview = _preview(admin_client, tmp_path)
    # when a confirm is posted straight away
    response = admin_client.post(preview + "confirm/")
    # then the operator is sent to the preview first, and nothing is imported
    assert response["Location"] == preview
    assert SyncRun.objects.count() == 0


def test_uploads_left_unconfirmed_are_swept_after_two_days(admin_client, tmp_path):
    # given an upload abandoned three days ago and one made just now
    _preview(admin_client, tmp_path)
    (old,) = _stored_uploads()
    stale = time.time() - 3 * 24 * 3600
    os.utime(upload_storage().path(f"{UPLOAD_DIR}/{old}"), (stale, stale))
    _preview(admin_client, tmp_path)
    # when the daily sweep runs
    result = tasks.decision_list_uploads_sweep_task()
    # then only the abandoned one is gone
    assert result == {"removed": 1}
    assert len(_stored_uploads()) == 1 and old not in _stored_uploads()


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("Danh sách OCOP 2024.XLSX", "Danh_sách_OCOP_2024.xlsx"),
        ("../../etc/cron.d/x.csv", "x.csv"),
        ("C:\\Users\\So NN\\ds (1).xlsx", "ds_1.xlsx"),
        (unicodedata.normalize("NFD", "Quyết định.xlsx"), "Quyết_định.xlsx"),
        ("..xlsx", "danh_sach.xlsx"),
    ],
)
def test_an_upload_is_stored_under_a_safe_form_of_its_name(sent, kept):
    # given the name a browser sent; when it is made safe; then only a plain NFC name is left
    assert upload_safe_name(sent) == kept


def test_a_csv_list_previews_like_a_workbook(admin_client, tmp_path):
    # given a two-row header saved by Excel as CSV UTF-8
    response = _upload(admin_client, files.two_row_header_csv(tmp_path))
    # when its preview is opened
    html = admin_client.get(response["Location"]).content.decode()
    # then its two products are to be imported and its layout rows skipped
    assert _count(html, "count-to-import") == 2
    assert _count(html, "count-skipped") == 3
    assert "99/QĐ-UBND" in html and "Xác nhận nhập" in html


def test_a_double_confirm_makes_one_run_and_queues_one_import(django_capture_on_commit_callbacks):
    # given one confirmed upload whose confirm arrives twice (a double click)
    from marketplace.registry.uploads import decision_list_import_start

    queued = []
    with django_capture_on_commit_callbacks(execute=True):
        runs = [
            decision_list_import_start(
                token="a" * 32,
                storage_name="registry/uploads/x/list.xlsx",
                file_name="list.xlsx",
                queue=lambda run_pk, name: queued.append(run_pk),
            )
            for _ in range(2)
        ]
    # then both requests land on the same run, queued once
    assert runs[0].pk == runs[1].pk and queued == [runs[0].pk]
    assert SyncRun.objects.filter(upload_token="a" * 32).count() == 1


def test_a_pending_upload_is_never_served_as_media(admin_client, client, tmp_path):
    # given an upload waiting for its confirm
    _preview(admin_client, tmp_path)
    (stored,) = _stored_uploads()
    # when anyone asks for it where media is served
    response = client.get(f"/media/{UPLOAD_DIR}/{stored}")
    # then it is not there
    assert response.status_code == 404
