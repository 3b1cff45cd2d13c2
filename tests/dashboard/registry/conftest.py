"""The registry's stand-in and client, for the screens that show its syncs."""

from tests.registry.conftest import registry_client, standin  # noqa: F401
