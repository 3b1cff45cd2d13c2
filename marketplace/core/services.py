"""Write services for the embedded default: demo catalogue and operator.

`demo_site_setup` is idempotent, so `make run` can call it every time.
"""

import io
import math
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site as DjangoSite
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify
from oscar.core.loading import get_model
from PIL import Image, ImageDraw
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page
from wagtail.models import Site as WagtailSite

from cms.models import HomePage
from marketplace.core import demo_data

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductImage = get_model("catalogue", "ProductImage")
Category = get_model("catalogue", "Category")
ProductCategory = get_model("catalogue", "ProductCategory")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")


@dataclass
class DemoSetupResult:
    products_created: int
    operator_created: bool


def _tree_root_ensure() -> Page:
    """Wagtail's tree root, recreated if a database flush removed it along
    with the default locale that Wagtail's migrations create."""
    root = Page.get_first_root_node()
    if root is None:
        language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
        locale, _ = Locale.objects.get_or_create(language_code=language)
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    return root


def home_page_ensure() -> HomePage:
    """Make our HomePage the root of the default Wagtail site.

    Wagtail's first migration creates a placeholder "Welcome" page; it is
    replaced so `/` renders the marketplace home.
    """
    home = HomePage.objects.first()
    if home is None:
        root = _tree_root_ensure()
        home = HomePage(
            title="Chợ OCOP",
            slug="trang-chu",
            hero_title="Đặc sản OCOP, chính hãng từ làng nghề và hợp tác xã",
            hero_text=(
                "Gạo, sữa, gốm, lụa và hàng thủ công đạt chứng nhận OCOP 3–5 sao, "
                "mua trực tiếp từ chủ thể sản xuất."
            ),
        )
        root.add_child(instance=home)
    site = WagtailSite.objects.filter(is_default_site=True).first()
    if site is None:
        WagtailSite.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Chợ OCOP",
        )
    elif site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.site_name = "Chợ OCOP"
        site.save()
        if old_root.specific_class is Page and not old_root.get_children().exists():
            old_root.delete()
    return home


def _demo_image(color: tuple[int, int, int]) -> bytes:
    """A soft gradient tile with a star, so demo products are not blank."""
    size = 800
    img = Image.new("RGB", (size, size))
    draw = ImageDraw.Draw(img)
    for y in range(size):
        t = y / size
        draw.line(
            [(0, y), (size, y)],
            fill=tuple(int(c * (1 - 0.35 * t) + 255 * 0.35 * (1 - t) * 0.4) for c in color),
        )
    cx, cy, r_out, r_in = size / 2, size / 2, 210, 90
    points = [
        (
            cx + (r_out if i % 2 == 0 else r_in) * math.sin(i * math.pi / 5),
            cy - (r_out if i % 2 == 0 else r_in) * math.cos(i * math.pi / 5),
        )
        for i in range(10)
    ]
    draw.polygon(points, fill=(244, 197, 66))
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=82)
    return buf.getvalue()


@transaction.atomic
def demo_site_setup(*, operator_password: str) -> DemoSetupResult:
    """Create the home page, a few products with prices and stock, and an
    operator account. Safe to run again: existing rows are left as they are."""
    home_page_ensure()
    DjangoSite.objects.update_or_create(
        pk=1, defaults={"domain": "127.0.0.1:8000", "name": "Chợ OCOP"}
    )

    product_class, _ = ProductClass.objects.get_or_create(
        slug="san-pham-ocop",
        defaults={"name": "Sản phẩm OCOP", "requires_shipping": True, "track_stock": True},
    )
    categories = {}
    for name in demo_data.DEMO_CATEGORIES:
        existing = Category.objects.filter(name=name).first()
        categories[name] = existing or Category.add_root(name=name, slug=slugify(name))

    partners = []
    for producer in demo_data.DEMO_PRODUCERS:
        partner, _ = Partner.objects.get_or_create(name=producer["name"])
        partners.append(partner)

    created = 0
    for title, producer_idx, category, price, stock, description in demo_data.DEMO_PRODUCTS:
        partner = partners[producer_idx]
        sku = f"DEMO-{slugify(title)[:40]}"
        if StockRecord.objects.filter(partner=partner, partner_sku=sku).exists():
            continue
        product = Product.objects.create(
            title=title,
            description=description,
            product_class=product_class,
            structure=Product.STANDALONE,
            is_public=True,
        )
        ProductCategory.objects.create(product=product, category=categories[category])
        StockRecord.objects.create(
            product=product,
            partner=partner,
            partner_sku=sku,
            price_currency="VND",
            price=price,
            num_in_stock=stock,
        )
        color = demo_data.DEMO_PRODUCERS[producer_idx]["color"]
        image = ProductImage(product=product, display_order=0, caption=title)
        image.original.save(f"{sku.lower()}.jpg", ContentFile(_demo_image(color)), save=True)
        created += 1

    User = get_user_model()
    operator = User.objects.filter(username=demo_data.OPERATOR_USERNAME).first()
    operator_created = operator is None
    if operator_created:
        User.objects.create_superuser(
            username=demo_data.OPERATOR_USERNAME,
            email=demo_data.OPERATOR_EMAIL,
            password=operator_password,
        )
    return DemoSetupResult(products_created=created, operator_created=operator_created)
