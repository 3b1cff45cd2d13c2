"""Race-safe counters for the analytics records."""

from django.db import IntegrityError, transaction
from django.db.models import F


def counter_add(model, field_name: str, lookup: dict, increment: int = 1, **defaults) -> None:
    """Add `increment` to `field_name` on the row `lookup` finds, creating
    the row if there is none. A concurrent creator makes our INSERT fail;
    the savepoint keeps the surrounding transaction usable and we add to
    the row the other request created."""
    rows = model._default_manager.filter(**lookup)
    if rows.update(**{field_name: F(field_name) + increment}, **defaults):
        return
    try:
        with transaction.atomic():
            model._default_manager.create(**lookup, **{field_name: increment}, **defaults)
    except IntegrityError:
        rows.update(**{field_name: F(field_name) + increment}, **defaults)
