"""Fixtures the dashboard's list tests share."""

import pytest
from oscar.core.loading import get_model

from tests.factories import certified_product_create

Category = get_model("catalogue", "Category")


@pytest.fixture
def listed(admin_user):
    """One row in each table: a product, a category with a child, a user."""
    certified_product_create(title="Chè Shan tuyết")
    parent = Category.add_root(name="Chè")
    parent.add_child(name="Chè xanh")
    return parent
