"""Write services for the embedded default: the operator, the demo registry
snapshot synced through the stand-in registry, demo prices and photos, and
the demo fairs, events and craft villages.

The home page and CMS sections are not demo content: they come from
`cms.services`, which every site needs; the demo only calls down into it.
`demo_site_setup` is idempotent, so `make run` can call it every time.
"""

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site as DjangoSite
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from oscar.core.loading import get_model
from wagtail.models import Page

from cms.models import CraftVillagePage, EventKind, EventPage, FairPage
from cms.services import cms_sections_ensure, home_page_ensure
from marketplace.demo import content
from marketplace.demo.families import FAMILIES
from marketplace.ocop.dates import today_in_vietnam
from marketplace.ocop.models import Producer
from marketplace.registry.client import RegistryClient, load_snapshot
from marketplace.registry.models import SyncStatus
from marketplace.registry.services import certificate_sync, photos_fetch
from marketplace.registry.standin.photos import render_photo
from marketplace.registry.standin.server import StandinServer
from search.tasks import reindex_on_commit

Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")


@dataclass
class DemoSetupResult:
    products_created: int
    operator_created: bool
    products_priced: int = 0
    pages_created: int = 0


def _demo_price(registry_id: int, product_type: str) -> Decimal:
    """A stable, plausible price in whole thousands of đồng."""
    low, high = content.PRICE_RANGES.get(product_type, (Decimal("50000"), Decimal("500000")))
    rng = random.Random(registry_id)  # noqa: S311 (demo data, not security)
    steps = int((high - low) / 1000)
    return low + Decimal(rng.randint(0, steps) * 1000)


# About one product in eight with a registry photo gets two more from its
# producer, so the demo shows the product page's gallery.
DEMO_GALLERY_SHARE = 1 / 8


def demo_prices_assign(*, with_images: bool = True) -> int:
    """Give synced products that have no price yet a demo price and stock,
    as their producers would, and to a few with a registry photo two more
    views of it (drawn like the stand-in's, not downloaded). Returns how
    many were priced.

    Written in bulk (20,000 products in the benchmark), so it queues one
    search reindex for all of them rather than one per stock record save."""
    records = list(
        StockRecord.objects.filter(
            price__isnull=True, product__certificate__isnull=False
        ).select_related("product__certificate")
    )
    for record in records:
        cert = record.product.certificate
        record.price = _demo_price(cert.registry_id, cert.product_type)
        record.price_currency = "VND"
        record.num_in_stock = random.Random(cert.registry_id).randint(5, 200)  # noqa: S311
    StockRecord.objects.bulk_update(
        records, ["price", "price_currency", "num_in_stock"], batch_size=1000
    )
    if with_images:
        _demo_galleries_add([record.product for record in records])
    reindex_on_commit(record.product_id for record in records)
    return len(records)


def _demo_galleries_add(products: list) -> None:
    with_one_photo = set(
        ProductImage.objects.filter(product__in=products)
        .values("product")
        .annotate(n=Count("pk"))
        .filter(n=1)
        .values_list("product", flat=True)
    )
    for product in products:
        cert = product.certificate
        rng = random.Random(f"gallery:{cert.registry_id}")  # noqa: S311 (demo data)
        if product.pk not in with_one_photo or rng.random() >= DEMO_GALLERY_SHARE:
            continue
        for view in (1, 2):
            image = ProductImage(product=product, display_order=view, caption=cert.name[:200])
            body = render_photo(cert.product_type, cert.registry_id, view)
            image.original.save(f"ocop-{cert.registry_id}-{view + 1}.jpg", ContentFile(body))


def demo_registry_sync(*, records: list[dict] | None = None, with_photos: bool = True):
    """Sync the bundled Hanoi snapshot through the stand-in registry over
    HTTP, exactly as production syncs the national API, then fetch the
    photos its records name (the stand-in draws them), as the sync task does."""
    records = records if records is not None else load_snapshot(content.SNAPSHOT_PATH)
    with StandinServer(records) as server:
        client = RegistryClient(base_url=server.url, page_size=100)
        run = certificate_sync(client=client)
        if with_photos and run.status != SyncStatus.FAILED:
            photos_fetch(client=client, run=run)
        return run


HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def _hanoi_time(wall_clock: str) -> datetime:
    """An ISO date and time without zone, read as Hanoi wall-clock time."""
    return datetime.fromisoformat(wall_clock).replace(tzinfo=HANOI)


def _demo_producers(family_keys: tuple[str, ...]) -> list:
    """The synced demo producers of these families, in the snapshot's order.
    Matched by name, the only key the registry gives producers."""
    names = [name for family in FAMILIES if family.key in family_keys for name in family.producers]
    found = {p.name: p for p in Producer.objects.filter(name__in=names)}
    return list({name: found[name] for name in names if name in found}.values())


def _exhibitors(family_keys: tuple[str, ...]) -> list[dict]:
    return [{"type": "producer", "value": p.pk} for p in _demo_producers(family_keys)]


def _products_block(heading: str, *, chosen: list[int] | None = None) -> dict:
    """A products block: hand-picked products, or else 4★+ products of Hà Nội."""
    return {
        "type": "products",
        "value": {
            "heading": heading,
            "products": chosen or [],
            "sector": "",
            "min_stars": "" if chosen else "4",
            "province": "" if chosen else content.VILLAGE_PROVINCE,
            "village": None,
            "limit": 8,
        },
    }


def _chosen_products(family_keys: tuple[str, ...], *, limit: int = 4) -> list[int]:
    return list(
        Product.objects.listable()
        .filter(certificate__producer__in=_demo_producers(family_keys))
        .order_by("-certificate__stars", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def _dated_fields(spec: dict) -> dict:
    """A demo fair's or event's common fields, its times in Hanoi's zone."""
    return {
        "title": spec["title"],
        "slug": spec["slug"],
        "start_at": _hanoi_time(spec["start_at"]),
        "end_at": _hanoi_time(spec["end_at"]),
        "venue_name": spec["venue_name"],
        "venue_address": spec["venue_address"],
        "latitude": Decimal(spec["latitude"]) if spec["latitude"] else None,
        "longitude": Decimal(spec["longitude"]) if spec["longitude"] else None,
        "organizer": content.ORGANIZER_HANOI,
        "intro": spec["intro"],
    }


def _page_publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _sample_fair_dates() -> tuple[datetime, datetime]:
    """Starting in a month at 8:00 Hanoi time, ending at 21:00 on its last day."""
    spec = content.SAMPLE_FAIR
    first_day = today_in_vietnam() + timedelta(days=spec["starts_in_days"])
    last_day = first_day + timedelta(days=spec["days"] - 1)
    return (
        datetime.combine(first_day, time(8, 0), tzinfo=HANOI),
        datetime.combine(last_day, time(21, 0), tzinfo=HANOI),
    )


def _sample_fair_ensure(fairs: Page) -> bool:
    """The sample upcoming fair; moved a month ahead again once it has ended,
    so the home page always has an upcoming fair to show. True if created."""
    spec = content.SAMPLE_FAIR
    fair = FairPage.objects.child_of(fairs).filter(slug=spec["slug"]).first()
    if fair is not None:
        if fair.end_at < timezone.now():
            fair.start_at, fair.end_at = _sample_fair_dates()
            fair.save_revision().publish()
        return False
    start_at, end_at = _sample_fair_dates()
    fair = FairPage(
        title=spec["title"],
        slug=spec["slug"],
        start_at=start_at,
        end_at=end_at,
        venue_name=spec["venue_name"],
        venue_address=spec["venue_address"],
        latitude=Decimal(spec["latitude"]),
        longitude=Decimal(spec["longitude"]),
        organizer=content.ORGANIZER_HANOI,
        intro=spec["intro"],
        contact_email=spec["contact_email"],
        exhibitors=_exhibitors(spec["exhibitors"]),
        body=[
            {"type": "paragraph", "value": content.SAMPLE_NOTE},
            _products_block("Sản phẩm 4–5 sao tại hội chợ"),
        ],
        schedule=[
            {
                "type": "item",
                "value": {
                    "starts_at": (start_at + timedelta(hours=1)).isoformat(),
                    "title": "Khai mạc hội chợ (dữ liệu mẫu)",
                    "place": "Sân khấu chính",
                },
            },
            {
                "type": "item",
                "value": {
                    "starts_at": (start_at + timedelta(days=1, hours=6)).isoformat(),
                    "title": "Hội thảo kết nối giao thương (dữ liệu mẫu)",
                    "place": "Phòng hội thảo tầng 2",
                },
            },
        ],
    )
    _page_publish(fairs, fair)
    return True


def demo_pages_ensure() -> int:
    """Publish the demo fairs, events and craft villages under the CMS
    sections: Hanoi's 2020 OCOP fairs and trade-connection events, one
    sample upcoming fair, and five craft villages linked to the demo
    producers who work there. Pages are found by slug, so running again
    creates nothing new and leaves edited pages alone, except that the
    sample fair moves a month ahead once it has ended. Returns how many
    pages were created."""
    sections = cms_sections_ensure()
    created = 0
    with transaction.atomic():
        fairs = sections["fairs"]
        for spec in content.FAIRS_2020:
            if FairPage.objects.child_of(fairs).filter(slug=spec["slug"]).exists():
                continue
            if spec["products"] == "chosen":
                products = _products_block(
                    "Sản phẩm tiêu biểu", chosen=_chosen_products(spec["exhibitors"])
                )
            else:
                products = _products_block("Sản phẩm 4–5 sao của Hà Nội")
            _page_publish(
                fairs,
                FairPage(
                    **_dated_fields(spec),
                    exhibitors=_exhibitors(spec["exhibitors"]),
                    body=[{"type": "paragraph", "value": content.APPROXIMATE_NOTE}, products],
                ),
            )
            created += 1
        created += _sample_fair_ensure(fairs)

        events = sections["events"]
        for spec in content.EVENTS_2020:
            if EventPage.objects.child_of(events).filter(slug=spec["slug"]).exists():
                continue
            _page_publish(
                events,
                EventPage(
                    **_dated_fields(spec),
                    kind=EventKind.TRADE_CONNECTION,
                    body=[{"type": "paragraph", "value": content.APPROXIMATE_NOTE}],
                ),
            )
            created += 1

        villages = sections["villages"]
        for spec in content.VILLAGES:
            if CraftVillagePage.objects.child_of(villages).filter(slug=spec["slug"]).exists():
                continue
            village = CraftVillagePage(
                title=spec["title"],
                slug=spec["slug"],
                craft=spec["craft"],
                province=content.VILLAGE_PROVINCE,
                ward=spec["ward"],
                intro=spec["intro"],
                history=spec["history"],
                recognition=spec["recognition"],
                body=[{"type": "paragraph", "value": content.VILLAGE_DEMO_NOTE}],
            )
            village.producers = _demo_producers(spec["families"])
            _page_publish(villages, village)
            created += 1
    return created


def demo_site_setup(
    *, operator_password: str, records: list[dict] | None = None, with_images: bool = True
) -> DemoSetupResult:
    """Create the home page and operator, sync the demo registry snapshot
    (with the photos its records name, unless `with_images` is False) and
    price its products. Safe to run again: a re-sync reports no changes,
    fetches no photo again, and products that already have a price keep it."""
    with transaction.atomic():
        home_page_ensure()
        cms_sections_ensure()
        DjangoSite.objects.update_or_create(
            pk=1, defaults={"domain": "127.0.0.1:8000", "name": "Chợ OCOP"}
        )
        User = get_user_model()
        operator_created = not User.objects.filter(username=content.OPERATOR_USERNAME).exists()
        if operator_created:
            User.objects.create_superuser(
                username=content.OPERATOR_USERNAME,
                email=content.OPERATOR_EMAIL,
                password=operator_password,
            )
    run = demo_registry_sync(records=records, with_photos=with_images)
    with transaction.atomic():
        priced = demo_prices_assign(with_images=with_images)
    pages_created = demo_pages_ensure()
    return DemoSetupResult(
        products_created=run.created,
        operator_created=operator_created,
        products_priced=priced,
        pages_created=pages_created,
    )
