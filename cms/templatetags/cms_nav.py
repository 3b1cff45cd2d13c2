"""The site header's links to the published CMS sections (fairs, events,
craft villages), found by page type so renaming a slug breaks nothing."""

from django import template
from django.utils.translation import gettext
from wagtail.models import Page

from cms.models import CraftVillageIndexPage, EventIndexPage, FairIndexPage
from marketplace.pagecache.fragments import fragment

register = template.Library()


def _section_pages() -> list:
    order = [FairIndexPage, EventIndexPage, CraftVillageIndexPage]
    pages = Page.objects.live().public().type(*order)
    return sorted(pages, key=lambda page: order.index(page.specific_class))


@register.simple_tag(takes_context=True)
def section_links(context) -> list[dict]:
    """Live, public section index pages, fairs then events then villages, as
    {"url", "title"}: on every page's header, so kept as a fragment per host,
    language and catalogue version (Wagtail's page and site tables bump the
    version: marketplace/pagecache), not asked of the page tree per request
    (one query, and a site lookup per link)."""
    request = context.get("request")

    def render() -> list[dict]:
        # A default section title (cms.services.SECTIONS) is in the catalogue
        # and shows translated; one an organizer wrote shows as written.
        return [
            {"url": page.get_url(request), "title": gettext(page.title)}
            for page in _section_pages()
        ]

    if request is None:
        return render()
    return fragment("section-links", request.get_host(), render)
