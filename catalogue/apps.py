"""Oscar's catalogue, forked under the same label.

The fork exists so Product can carry its OCOP certification and the one
listing rule (`Product.objects.listable()`) can live on its QuerySet.
"""

import oscar.apps.catalogue.apps as apps


class CatalogueConfig(apps.CatalogueConfig):
    name = "catalogue"
