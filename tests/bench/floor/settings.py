"""Production settings with the floor views in front of the site's own URLs.
Only tests/bench/search_floor.py starts a server on this module."""

from marketplace.settings.production import *  # noqa: F403

ROOT_URLCONF = "tests.bench.floor.urls"
