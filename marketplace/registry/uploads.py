"""Operators' decision-list uploads: checked at the door, kept in the default
storage between preview and import, and read through a local copy.

The default storage is the local disk today and S3 later, so nothing here
assumes a stored upload has a path: the reader gets a temporary copy.
"""

import codecs
import logging
import re
import shutil
import tempfile
import unicodedata
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from functools import partial
from pathlib import Path, PurePosixPath

from django.core.files.storage import storages
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.ocop.models import RecordSource
from marketplace.registry.models import SyncRun, SyncStatus

logger = logging.getLogger(__name__)

UPLOAD_DIR = "registry/uploads"


def upload_storage():
    """Where uploads wait: the private storage, never served as media (a
    list may carry producers' phone numbers and e-mails)."""
    return storages["private"]


UPLOAD_SUFFIXES = (".xlsx", ".csv")
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0"
CHUNK = 64 * 1024


class UploadRefused(ValueError):
    """An upload refused before it is parsed; the message is for the operator."""


def upload_check(*, upload: UploadedFile, max_bytes: int) -> None:
    """Refuse a file by its size, its name and its first bytes, before any
    spreadsheet reader sees it: a portal's HTML page or an old .xls renamed
    .xlsx, a CSV not in UTF-8, or anything over `max_bytes`."""
    if upload.size > max_bytes:
        raise UploadRefused(
            _("Tệp quá lớn (%(size)s): chỉ nhận tệp tới %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)}
        )
    suffix = PurePosixPath(upload.name or "").suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise UploadRefused(
            _("Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv); tệp này có đuôi “%(suffix)s”.")
            % {"suffix": suffix or _("không có")}
        )
    if not upload.size:
        raise UploadRefused(_("Tệp trống."))
    upload.seek(0)
    head = upload.read(len(ZIP_MAGIC))
    upload.seek(0)
    if suffix == ".xlsx":
        _xlsx_check(head, upload)
    else:
        _csv_check(head, upload)


def _xlsx_check(head: bytes, upload: UploadedFile) -> None:
    if head.startswith(ZIP_MAGIC):
        return
    save_as = _("hãy mở trong Excel và lưu dưới dạng Excel Workbook (.xlsx)")
    if head.startswith(OLE2_MAGIC):
        what = _("đây là tệp Excel 97–2003 (.xls) đổi đuôi, hoặc tệp có mật khẩu")
    else:
        start = upload.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
        upload.seek(0)
        if start.startswith(b"<"):
            what = _("đây là trang HTML/XML (thường do cổng thông tin xuất ra) đổi đuôi")
        else:
            what = _("nội dung không phải bảng tính Excel")
    raise UploadRefused(
        _("Tệp không phải bảng tính Excel .xlsx: %(what)s; %(advice)s.")
        % {"what": what, "advice": save_as}
    )


def _csv_check(head: bytes, upload: UploadedFile) -> None:
    if head.startswith(ZIP_MAGIC):
        raise UploadRefused(
            _("Tệp là bảng tính Excel mang đuôi .csv; hãy đổi đuôi thành .xlsx rồi tải lên lại.")
        )
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for chunk in upload.chunks(CHUNK):
            if b"\x00" in chunk:
                # PostgreSQL text cannot hold NUL; such a file is not a CSV anyway.
                raise UploadRefused(_("Tệp CSV chứa ký tự NUL: đây không phải tệp văn bản."))
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise UploadRefused(
            _("Tệp CSV không ở mã UTF-8; hãy lưu lại dưới dạng “CSV UTF-8” rồi tải lên lại.")
        ) from None
    finally:
        upload.seek(0)


def upload_safe_name(name: str) -> str:
    """The operator's file name, kept readable (Vietnamese letters stay) but
    with no directories, spaces or characters a storage might mind."""
    base = unicodedata.normalize("NFC", PurePosixPath(name.replace("\\", "/")).name)
    suffix = PurePosixPath(base).suffix.lower()
    stem = base[: -len(suffix)] if suffix else base
    stem = re.sub(r"[^\w.-]+", "_", stem).strip("._-")[:80]
    return f"{stem or 'danh_sach'}{suffix}"


def decision_list_upload_store(*, upload: UploadedFile) -> tuple[str, str]:
    """Keep a checked upload until it is confirmed or cancelled; returns
    (token, storage name). The token is a fresh uuid4, so no two uploads
    share a folder and nobody can guess one."""
    token = uuid.uuid4().hex
    name = upload_storage().save(f"{UPLOAD_DIR}/{token}/{upload_safe_name(upload.name)}", upload)
    return token, name


def decision_list_upload_delete(*, name: str) -> None:
    """Remove a stored upload; one already gone is fine."""
    if not name.startswith(f"{UPLOAD_DIR}/"):
        raise ValueError(f"not a decision-list upload: {name!r}")
    try:
        upload_storage().delete(name)
    except FileNotFoundError:
        pass
    try:  # a local disk keeps the emptied folder; object stores have none
        Path(upload_storage().path(str(PurePosixPath(name).parent))).rmdir()
    except (NotImplementedError, OSError):
        pass


@contextmanager
def upload_local_copy(name: str) -> Iterator[Path]:
    """A local copy of a stored upload, removed afterwards. It keeps the
    operator's file name, so the reader's reasons name their file, not a
    temporary one. Raises FileNotFoundError if the upload is gone."""
    with tempfile.TemporaryDirectory(prefix="ocop-list-") as directory:
        path = Path(directory) / PurePosixPath(name).name
        with upload_storage().open(name, "rb") as source, path.open("wb") as target:
            shutil.copyfileobj(source, target, CHUNK)
        yield path


def decision_list_uploads_sweep(*, older_than: timedelta = timedelta(days=2)) -> int:
    """Delete uploads nobody confirmed or cancelled (a closed tab, an expired
    session); returns how many went. An import deletes its own upload."""
    if not upload_storage().exists(UPLOAD_DIR):
        return 0
    cutoff = timezone.now() - older_than
    removed = 0
    folders, _files = upload_storage().listdir(UPLOAD_DIR)
    for folder in folders:
        _subfolders, files = upload_storage().listdir(f"{UPLOAD_DIR}/{folder}")
        for file in files:
            name = f"{UPLOAD_DIR}/{folder}/{file}"
            if upload_storage().get_modified_time(name) < cutoff:
                decision_list_upload_delete(name=name)
                removed += 1
    return removed


def decision_list_import_start(
    *, token: str, storage_name: str, file_name: str, queue: Callable[[int, str], object]
) -> SyncRun:
    """Create the run for a confirmed upload and, once this transaction
    commits (a worker must find the run), `queue(run_pk, storage_name)`:
    the import task's `delay`, passed in so this room need not know the
    task. One run per upload token: a double-clicked "confirm" (two
    requests racing) gets the run the first one made. The run page shows its
    progress; the import deletes the upload when it ends."""
    try:
        with transaction.atomic():
            run = SyncRun.objects.create(
                source=file_name, source_kind=RecordSource.DECISION_LIST, upload_token=token
            )
    except IntegrityError:
        return SyncRun.objects.get(upload_token=token)
    transaction.on_commit(partial(_import_queue, queue, run.pk, storage_name))
    return run


def _import_queue(queue: Callable[[int, str], object], run_pk: int, storage_name: str) -> None:
    # An on_commit hook must not raise (design.md §6): a broker that is down
    # fails the run with a reason instead of leaving it "running".
    try:
        queue(run_pk, storage_name)
    except Exception as exc:
        logger.exception("decision-list import of %s could not run", storage_name)
        decision_list_run_fail(
            run_pk=run_pk,
            # Stored, so in the operators' language whatever the request's.
            error=f"Không chạy được việc nhập ({type(exc).__name__}: {exc}); hãy tải tệp lên lại.",
        )
        decision_list_upload_delete(name=storage_name)


def decision_list_run_fail(*, run_pk: int, error: str) -> None:
    """End a still-running upload's run as failed, with the reason; a run
    that already ended (a task delivered twice) keeps its outcome."""
    SyncRun.objects.filter(pk=run_pk, status=SyncStatus.RUNNING).update(
        status=SyncStatus.FAILED, finished_at=timezone.now(), error=error
    )
