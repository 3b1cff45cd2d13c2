"""A stand-in registry over real HTTP on loopback, per test."""

import pytest

from marketplace.registry.client import RegistryClient
from marketplace.registry.standin.server import StandinServer


@pytest.fixture
def standin():
    server = StandinServer([]).start()
    yield server
    server.stop()


@pytest.fixture
def registry_client(standin):
    """A client for the stand-in that does not really sleep between retries."""
    return RegistryClient(base_url=standin.url, page_size=10, backoff=0.0, max_retries=1)
