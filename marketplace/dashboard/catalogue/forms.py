"""Oscar's catalogue dashboard forms; only the stock-record form differs.

Oscar offers every partner in the stock-record form's partner select. Every
OCOP producer is a partner, so at national scale the product page carried
two selects of 7,328 options (1.3 MB, 0.6 s). Here a
product's stock record belongs to its producer's partner: the form shows
that one partner, read-only. A product without a producer (made by hand by
staff) may choose among the partners that are not producers, a short list.
Oscar's other forms are used as they are (`get_class` falls back to them).
"""

from django.utils.translation import gettext_lazy as _
from oscar.apps.dashboard.catalogue import forms as oscar_forms
from oscar.core.loading import get_model

Partner = get_model("partner", "Partner")


def producer_partner(product):
    """The partner of the producer whose certificate `product` sells under,
    or None (a product made by hand, not yet saved, or without one)."""
    if product is None or product.pk is None:
        return None
    certificate = getattr(product, "certificate", None)
    producer = getattr(certificate, "producer", None) if certificate is not None else None
    return producer.partner if producer is not None else None


class StockRecordForm(oscar_forms.StockRecordForm):
    def __init__(self, product_class, user, *args, product=None, **kwargs):
        super().__init__(product_class, user, *args, **kwargs)
        field = self.fields.get("partner")
        if field is None:
            return
        own = producer_partner(product or getattr(self.instance, "product", None))
        if own is not None:
            field.queryset = Partner.objects.filter(pk=own.pk)
            field.initial = own.pk
            field.disabled = True
            field.help_text = _("Kho hàng của sản phẩm thuộc chủ thể sản xuất ra nó.")
        else:
            field.queryset = field.queryset.filter(producer__isnull=True)
