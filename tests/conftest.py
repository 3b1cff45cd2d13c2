"""Shared fixtures. Tests talk to the real services `make test` starts."""

import pytest

from marketplace.core.services import demo_site_setup


@pytest.fixture
def demo_site(db):
    """The embedded default: home page, operator, and the bundled Hanoi
    snapshot synced through the stand-in registry and given demo prices."""
    return demo_site_setup(operator_password="test-operator-pass", with_images=False)


@pytest.fixture(autouse=True)
def _search_breaker_closed():
    """The search circuit breaker lives in the shared cache; start closed."""
    from django.core.cache import cache

    from search.backends.resilient import BREAKER_KEY

    cache.delete(BREAKER_KEY)
    yield
    cache.delete(BREAKER_KEY)
