"""Oscar's catalogue dashboard formsets; the stock-record formset hands each
form its product, so the form can show the producer's partner alone
(marketplace/dashboard/catalogue/forms.py, which Oscar's formset already
builds its forms from). The rest are Oscar's."""

from oscar.apps.dashboard.catalogue import formsets as oscar_formsets


class StockRecordFormSet(oscar_formsets.StockRecordFormSet):
    def _construct_form(self, i, **kwargs):
        kwargs["product"] = self.instance
        return super()._construct_form(i, **kwargs)
