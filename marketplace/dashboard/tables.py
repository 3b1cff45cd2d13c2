"""Oscar's base for every dashboard table, forked so that a table sorts only
by what its rows can be sorted by.

django-tables2 takes `?sort=` from the address and, for a column that has
no sort of its own, orders the queryset by the column's name. Oscar's tables
have columns that are no field at all (the row checkbox, the actions), so
`?sort=checkbox` was a FieldError and a 500. Oscar reaches this class
through `get_class("dashboard.tables", "DashboardTable")`, so each of its
tables (products, categories, users...) and any we add get the rule: such a
column is not sortable, its header offers no sort, and a sort by it is
ignored like one by an unknown column. A `?per_page=` below one (which
django-tables2 passes on to Django's paginator, and which failed the same
way) gives the table's own page size.
"""

from django.core.exceptions import FieldError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django_tables2.utils import OrderByTuple
from oscar.apps.dashboard import tables


class DashboardTable(tables.DashboardTable):
    @property
    def order_by(self):
        return tables.DashboardTable.order_by.fget(self)

    @order_by.setter
    def order_by(self, value):
        # django-tables2 itself skips unknown and non-orderable columns
        self._unsortable_columns_off()
        tables.DashboardTable.order_by.fset(self, value)

    def _unsortable_columns_off(self) -> None:
        """Mark non-orderable each column whose sort keys the rows' queryset
        cannot order by; a column with its own `order_<name>` keeps its sort."""
        rows = getattr(self.data, "data", None)
        if not isinstance(rows, QuerySet):
            return
        for column in self.columns.iterall():
            if not column.orderable or hasattr(self, f"order_{column.name}"):
                continue
            keys = column.column.order_by or OrderByTuple((column.accessor,))
            try:
                rows.order_by(*(key.for_queryset() for key in keys))
            except FieldError:
                column.column.orderable = False

    def paginate(self, paginator_class=Paginator, per_page=None, page=1, *args, **kwargs):
        if per_page is not None and per_page < 1:
            per_page = None  # the table's own page size
        return super().paginate(paginator_class, per_page, page, *args, **kwargs)
