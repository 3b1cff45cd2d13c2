"""Oscar's catalogue dashboard tables, forked where a header was no
translatable string: the category list's actions column took its English
header from the column's name ("Actions"), whatever the operator's language."""

from django.utils.translation import gettext_lazy as _
from django_tables2 import TemplateColumn
from oscar.apps.dashboard.catalogue import tables


class CategoryTable(tables.CategoryTable):
    actions = TemplateColumn(
        verbose_name=_("Actions"),
        template_name="oscar/dashboard/catalogue/category_row_actions.html",
        orderable=False,
    )
