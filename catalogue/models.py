"""Catalogue models: Oscar's, with the marketplace's product QuerySet.

Declared before the star import so Oscar uses our Product (design.md §8).
"""

from oscar.apps.catalogue.abstract_models import AbstractProduct

from catalogue.managers import ProductQuerySet


class Product(AbstractProduct):
    """An Oscar product. The registry issue links it to its OCOP certificate."""

    objects = ProductQuerySet.as_manager()


from oscar.apps.catalogue.models import *  # noqa: E402,F403
