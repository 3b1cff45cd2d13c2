"""Partner models: Oscar's, unchanged; the fork exists for the strategy."""

from oscar.apps.partner.models import *  # noqa: F403
