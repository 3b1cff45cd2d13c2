"""Readiness is tested against the same dead and hanging parts as core's fault tests."""

from tests.core.conftest import dead_port, hanging_server  # noqa: F401
