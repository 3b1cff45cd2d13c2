"""The site header's links to the published CMS sections (fairs, events,
craft villages), found by page type so renaming a slug breaks nothing."""

from django import template

register = template.Library()


@register.simple_tag
def section_pages():
    """Live, public section index pages, fairs then events then villages:
    one page query on every request, whatever the number of sections."""
    from wagtail.models import Page

    from cms.models import CraftVillageIndexPage, EventIndexPage, FairIndexPage

    order = [FairIndexPage, EventIndexPage, CraftVillageIndexPage]
    pages = Page.objects.live().public().type(*order)
    return sorted(pages, key=lambda page: order.index(page.specific_class))
