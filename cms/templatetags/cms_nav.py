"""The site header's links to the published CMS sections (fairs, events,
craft villages), found by page type so renaming a slug breaks nothing."""

from django import template

register = template.Library()


@register.simple_tag
def section_pages():
    """Live section index pages, in the order the header shows them."""
    from cms.models import CraftVillageIndexPage, EventIndexPage, FairIndexPage

    pages = []
    for model in (FairIndexPage, EventIndexPage, CraftVillageIndexPage):
        page = model.objects.live().public().first()
        if page:
            pages.append(page)
    return pages
