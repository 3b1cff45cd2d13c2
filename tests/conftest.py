"""Shared fixtures. Tests talk to the real services `make test` starts."""

import pytest

from marketplace.core.services import demo_site_setup


@pytest.fixture
def demo_site(db):
    """The embedded default's home page, demo products and operator."""
    return demo_site_setup(operator_password="test-operator-pass")
