"""What the database backend searches: one folded string per product.

`Product.search_text` is a catalogue column, so the catalogue keeps it: every
service that writes a product's title or description refreshes it here, and
search only reads it (search/backends/database.py).
"""

from marketplace.ocop.text import fold


def product_search_text(*, title: str, producer: str = "", description: str = "") -> str:
    """Folded title, producer name and description, in that order."""
    return " ".join(part for part in (fold(title), fold(producer), fold(description)) if part)


def search_text_refresh(products) -> int:
    """Recompute `search_text` for `products` (a queryset); returns the count."""
    changed = []
    for product in products.select_related("certificate__producer"):
        cert = product.certificate
        text = product_search_text(
            title=product.title,
            producer=cert.producer.name if cert else "",
            description=product.description,
        )
        if text != product.search_text:
            product.search_text = text
            changed.append(product)
    products.model.objects.bulk_update(changed, ["search_text"], batch_size=1000)
    return len(changed)
