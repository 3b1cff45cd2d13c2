"""Writes to Oscar's partner tables that other rooms ask for.

Every OCOP producer sells through one Oscar partner; the registry's sync
decides when a producer is new, and asks here for its partner, so only this
room writes the partner table.
"""

from collections.abc import Sequence

from oscar.core.loading import get_model

Partner = get_model("partner", "Partner")


def partners_create(*, names_and_codes: Sequence[tuple[str, str]]) -> list:
    """Create partners in one bulk insert, in the order given; returns them.

    The caller computes each unique `code` up front, so Oscar's AutoSlugField
    need not query for uniqueness once per partner; a name longer than the
    column is cut to fit."""
    return Partner.objects.bulk_create(
        [Partner(name=name[:128], code=code) for name, code in names_and_codes]
    )
