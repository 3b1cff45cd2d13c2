"""The product search document and its Vietnamese analysis.

Text is NFC-normalised in Python before it is indexed or queried (Lucene
has no NFC filter without the ICU plugin). Each text field has an accented
form and an `asciifolding` subfield: Lucene folds đ→d and every Vietnamese
vowel, so "gom su bat trang" finds "Gốm sứ Bát Tràng", while the accented
form is boosted so "bàn" ranks its exact match above "bán" and "bạn".

The document stores the certificate's dates and status, not a "listable"
flag: the listing rule is applied at query time with today's date, so an
expired product vanishes at midnight with no reindex (design.md §2).
"""

from opensearchpy import (
    Boolean,
    Date,
    Document,
    Float,
    Integer,
    Keyword,
    SearchAsYouType,
    Text,
    analyzer,
)

vi_exact = analyzer("vi_exact", tokenizer="standard", filter=["lowercase"])
vi_folded = analyzer("vi_folded", tokenizer="standard", filter=["lowercase", "asciifolding"])


def _text(**extra_fields) -> Text:
    """An accented text field with a folded subfield (plus any `extra_fields`)."""
    return Text(analyzer=vi_exact, fields={"folded": Text(analyzer=vi_folded), **extra_fields})


class ProductDocument(Document):
    """One catalogue product as search sees it."""

    product_id = Integer()
    title = _text()
    title_suggest = SearchAsYouType(analyzer=vi_folded)
    description = _text()
    producer = _text(raw=Keyword())
    producer_id = Integer()
    product_type = Keyword()
    sector = Keyword()
    stars = Integer()
    is_potential_five_star = Boolean()
    province = Keyword()
    ward = Keyword()
    craft_village = Keyword()
    categories = Integer(multi=True)
    price = Float()
    in_stock = Boolean()
    has_price = Boolean()
    is_public = Boolean()
    producer_active = Boolean()
    certificate_status = Keyword()
    issued_on = Date()
    expiry_date = Date()
    date_created = Date()
    popularity = Integer()

    class Index:
        # a template: indexing clones it under settings.OPENSEARCH_PRODUCTS_ALIAS
        name = "ocop-products"
        settings = {"number_of_shards": 1, "number_of_replicas": 0}
