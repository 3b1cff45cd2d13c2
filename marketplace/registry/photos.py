"""Product photos from the registry: which URLs each record names, and
fetching them once the sync has committed.

The two halves are apart on purpose. `PhotoBook` runs inside the sync's
transaction and only writes `RegistryPhoto` rows (pending, dropped,
reordered); `photos_fetch` runs after it, in its own task, because a
download may take seconds per photo and must never hold the sync's
transaction open or fail it. The pictures themselves are catalogue rows,
written through the catalogue's services.
"""

import hashlib
import io
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from oscar.core.loading import get_model

from catalogue.services import (
    product_image_delete,
    product_image_file_delete,
    product_image_prepare,
    product_image_save,
    product_images_reorder,
)
from marketplace.registry.client import FetchedImage, ImageRefused, ImageUnavailable
from marketplace.registry.models import PhotoStatus, RegistryPhoto, SyncRun
from marketplace.registry.records import storable
from marketplace.registry.runs import Progress, run_alert_add

logger = logging.getLogger(__name__)

Product = get_model("catalogue", "Product")


def _url_digest(url: str) -> str:
    return hashlib.blake2b(url.encode(), digest_size=16).hexdigest()


class PhotoBook:
    """The sync's half of photos: which URLs each certificate's record names.

    It only writes `RegistryPhoto` rows, in the sync's transaction: new URLs
    wait as pending, URLs the record dropped are marked dropped, a reordered
    list moves the pictures. Nothing is downloaded or deleted here; that is
    `photos_fetch`'s work once the sync has committed (the model says why).
    A URL already known, fetched or refused, is left alone: re-syncing the
    same record fetches nothing.
    """

    def __init__(self, run: SyncRun) -> None:
        self.run = run
        self.known: dict[int, dict[str, RegistryPhoto]] = defaultdict(dict)
        for photo in RegistryPhoto.objects.only(
            "pk", "certificate", "url", "position", "status", "image"
        ):
            self.known[photo.certificate_id][photo.url] = photo
        self._new: list[RegistryPhoto] = []
        self._changed: dict[int, RegistryPhoto] = {}

    def want(self, certificate_pk: int, urls: tuple[str, ...]) -> None:
        known = self.known.get(certificate_pk, {})
        if not urls and not known:
            return
        wanted = {url: position for position, url in enumerate(urls)}
        for url, photo in known.items():
            position = wanted.get(url)
            if position is None:
                if photo.status != PhotoStatus.DROPPED:
                    photo.status = PhotoStatus.DROPPED
                    self._mark(photo)
                continue
            if photo.status == PhotoStatus.DROPPED:  # named again before it was removed
                photo.status = PhotoStatus.IMPORTED if photo.image_id else PhotoStatus.PENDING
                self._mark(photo)
            if photo.position != position:
                photo.position = position
                self._mark(photo)
        for url, position in wanted.items():
            if url not in known:
                photo = RegistryPhoto(
                    certificate_id=certificate_pk,
                    url=url,
                    url_digest=_url_digest(url),
                    position=position,
                    sync_run=self.run,
                )
                self._new.append(photo)
                self.known[certificate_pk][url] = photo

    def _mark(self, photo: RegistryPhoto) -> None:
        if photo.pk is not None:  # a row not yet created is written as it is
            self._changed[photo.pk] = photo

    def write(self) -> None:
        """Store this batch's new and changed rows (a few queries a batch)."""
        if self._new:
            RegistryPhoto.objects.bulk_create(self._new)
        if self._changed:
            changed = list(self._changed.values())
            RegistryPhoto.objects.bulk_update(changed, ["status", "position"])
            moved = [p for p in changed if p.image_id and p.status == PhotoStatus.IMPORTED]
            product_images_reorder(display_orders={p.image_id: p.position for p in moved})
        self._new, self._changed = [], {}


PHOTO_MAX_ATTEMPTS = 5
MAX_PHOTO_PIXELS = 40_000_000  # above this a "photo" is a decompression bomb, not a product shot
_PHOTO_FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}


@dataclass
class PhotoFetchResult:
    """What one photo pass did."""

    imported: int = 0
    refused: int = 0
    retry_later: int = 0
    removed: int = 0
    refusals: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"photos imported {self.imported}, refused {self.refused}, "
            f"retry later {self.retry_later}, removed {self.removed}"
        )


def photo_check(image: FetchedImage) -> str:
    """The file extension for a photo whose bytes really are the image type
    its server declared, decoded in full; otherwise `ImageRefused`.

    The client checked the declared type and size; only decoding tells a
    JPEG from an HTML page sent as image/jpeg, or a truncated file."""
    from PIL import Image

    formats = list(_PHOTO_FORMATS)
    try:
        with Image.open(io.BytesIO(image.body), formats=formats) as picture:
            kind = picture.format
            width, height = picture.size
            if width * height > MAX_PHOTO_PIXELS:
                raise ImageRefused(f"ảnh {width}×{height} quá nhiều điểm ảnh (too many pixels)")
            picture.load()
    except ImageRefused:
        raise
    except Exception as exc:  # Pillow's decoders raise many kinds on a bad file
        raise ImageRefused(
            f"tệp không phải ảnh đọc được ({type(exc).__name__}) (not a readable image)"
        ) from None
    declared, extension = _PHOTO_FORMATS[kind]
    if declared != image.content_type:
        raise ImageRefused(
            f"tệp là {declared} nhưng máy chủ nói {image.content_type} (type mismatch)"
        )
    return extension


def _photos_dropped_remove() -> int:
    """Delete the pictures of URLs records no longer name, with their files.
    Oscar's receiver deletes sorl's thumbnails with each picture."""
    removed = 0
    for photo in RegistryPhoto.objects.filter(status=PhotoStatus.DROPPED).select_related("image"):
        name = photo.image.original.name if photo.image else ""
        with transaction.atomic():
            if photo.image_id:
                product_image_delete(image_id=photo.image_id)
            RegistryPhoto.objects.filter(pk=photo.pk, status=PhotoStatus.DROPPED).delete()
        if name:
            product_image_file_delete(name=name)
        removed += 1
    return removed


def _photo_refuse(photo: RegistryPhoto, reason: str, result: PhotoFetchResult) -> None:
    RegistryPhoto.objects.filter(pk=photo.pk, status=PhotoStatus.PENDING).update(
        status=PhotoStatus.REFUSED,
        reason=storable(reason)[:2000],
        attempts=F("attempts") + 1,
        checked_at=timezone.now(),
    )
    result.refused += 1
    result.refusals.append(f"{photo.certificate.registry_id}: {reason}")


def _photo_retry_later(photo: RegistryPhoto, reason: str, result: PhotoFetchResult) -> None:
    """A failure that may pass (network, server): try again on the next
    pass, and give up after PHOTO_MAX_ATTEMPTS."""
    attempts = photo.attempts + 1
    if attempts >= PHOTO_MAX_ATTEMPTS:
        _photo_refuse(photo, f"bỏ sau {attempts} lần thử: {reason}", result)
        return
    RegistryPhoto.objects.filter(pk=photo.pk, status=PhotoStatus.PENDING).update(
        attempts=attempts, reason=storable(reason)[:2000], checked_at=timezone.now()
    )
    result.retry_later += 1


PHOTO_STORE_BATCH = 25  # one commit per 25 photos, not per photo (SQLite syncs each commit)


def _photo_file_save(photo: RegistryPhoto, product, image: FetchedImage, extension: str):
    """An unsaved picture of `product` whose file is already in storage."""
    return product_image_prepare(
        product=product,
        display_order=photo.position,
        caption=photo.certificate.name,
        filename=f"ocop-{photo.certificate.registry_id}-{photo.position + 1}.{extension}",
        content=image.body,
    )


def _photos_store(batch: list[tuple[RegistryPhoto, object]], result: PhotoFetchResult) -> None:
    """Write each picture and its row under a savepoint, the batch in one
    transaction. A row that changed meanwhile (dropped, or fetched by another
    pass) wins, and a picture that cannot be written waits for the next pass;
    either way its file is deleted again, and if the transaction fails every
    file of the batch is: no file is left without its picture."""
    if not batch:
        return
    stored: list[object] = []
    committed = False
    try:
        with transaction.atomic():
            for photo, picture in batch:
                try:
                    with transaction.atomic():
                        product_image_save(image=picture)
                        # the UPDATE's WHERE is the claim (and its row lock, until commit)
                        claimed = RegistryPhoto.objects.filter(
                            pk=photo.pk, status=PhotoStatus.PENDING, url_digest=photo.url_digest
                        ).update(
                            image=picture,
                            status=PhotoStatus.IMPORTED,
                            reason="",
                            attempts=F("attempts") + 1,
                            checked_at=timezone.now(),
                        )
                        if not claimed:
                            raise _PhotoGone
                    stored.append(picture)
                except _PhotoGone:
                    pass
                except Exception as exc:  # one odd photo must not stop the others
                    logger.exception("photo %s could not be stored", photo.url)
                    _photo_retry_later(photo, f"{type(exc).__name__}: {str(exc)[:200]}", result)
        committed = True
        result.imported += len(stored)
    finally:
        kept = {id(picture) for picture in stored} if committed else set()
        for _photo, picture in batch:
            if id(picture) not in kept:
                product_image_file_delete(name=picture.original.name)


class _PhotoGone(Exception):
    """The photo's row changed while its file was being fetched."""


def photos_fetch(
    *,
    client,
    run: SyncRun | None = None,
    limit: int | None = None,
    progress: Progress | None = None,
) -> PhotoFetchResult:
    """Download the photos syncs recorded as pending, after those syncs
    committed; remove the pictures of URLs records dropped.

    Each photo goes through the registry client's checks (http(s), allowed
    host, declared type, size) and then Pillow's (really that type, decodes
    in full, not a pixel bomb). A refused photo is recorded with its reason
    and never fetched again for that URL; one the network failed is tried
    again on the next pass, up to 5 times. Refusals are added to `run`'s
    alert for operators, without changing its status: a bad photo never
    fails a sync or refuses a certificate. `client` is any source with
    `fetch_image` (a snapshot file has none: its photos wait for a registry
    that serves them).
    """
    result = PhotoFetchResult(removed=_photos_dropped_remove())
    fetch = getattr(client, "fetch_image", None)
    if fetch is None:
        return result
    pending = (
        RegistryPhoto.objects.filter(status=PhotoStatus.PENDING)
        .select_related("certificate")
        .order_by("pk")
    )
    if limit is not None:
        pending = pending[:limit]
    photos = list(pending)
    products = {}
    for product in Product.objects.filter(
        certificate_id__in={p.certificate_id for p in photos}
    ).order_by("-pk"):
        products[product.certificate_id] = product  # the oldest product wins
    max_bytes = settings.REGISTRY_IMAGE_MAX_BYTES
    hosts = settings.REGISTRY_IMAGE_HOSTS
    batch: list[tuple[RegistryPhoto, object]] = []
    try:
        for done, photo in enumerate(photos, start=1):
            if progress:
                progress(done, len(photos))
            product = products.get(photo.certificate_id)
            if product is None:
                _photo_refuse(photo, "chứng nhận chưa có sản phẩm (no product)", result)
                continue
            try:
                image = fetch(photo.url, max_bytes=max_bytes, extra_hosts=hosts)
                extension = photo_check(image)
                batch.append((photo, _photo_file_save(photo, product, image, extension)))
            except ImageRefused as exc:
                _photo_refuse(photo, str(exc), result)
            except ImageUnavailable as exc:
                _photo_retry_later(photo, str(exc), result)
            except Exception as exc:  # one odd photo must not stop the others
                logger.exception(
                    "photo %s of certificate %s failed", photo.url, photo.certificate_id
                )
                _photo_retry_later(photo, f"{type(exc).__name__}: {str(exc)[:200]}", result)
            if len(batch) >= PHOTO_STORE_BATCH:
                to_store, batch = batch, []
                _photos_store(to_store, result)
        to_store, batch = batch, []
        _photos_store(to_store, result)
    finally:
        for _photo, picture in batch:  # files of a pass cut short (Ctrl-C, a worker stopped)
            product_image_file_delete(name=picture.original.name)
    if run is not None and result.refusals:
        shown = "; ".join(result.refusals[:5]) + (" …" if len(result.refusals) > 5 else "")
        run_alert_add(
            run,
            f"{result.refused} ảnh sản phẩm bị từ chối, chứng nhận vẫn được đồng bộ "
            f"({result.refused} photos refused): {shown}",
        )
        run.save(update_fields=["alert"])
    logger.info("registry photos from %s: %s", getattr(client, "source", client), result.summary())
    return result
