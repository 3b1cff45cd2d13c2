"""Oscar's catalogue, forked under the same label.

The fork exists so Product can carry its OCOP certification and the one
listing rule (`Product.objects.listable()`) can live on its QuerySet.
"""

import oscar.apps.catalogue.apps as apps
from django.urls import path


class CatalogueConfig(apps.CatalogueConfig):
    name = "catalogue"

    def get_urls(self):
        # apps.py loads before the models: views import them, so not at the top
        from catalogue.views import product_seen

        # The product page's per-visitor part (history, view count): the
        # page itself is shared between visitors.
        return super().get_urls() + self.post_process_urls(
            [path("da-xem/<int:pk>/", product_seen, name="product-seen")]
        )
