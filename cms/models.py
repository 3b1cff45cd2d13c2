"""Wagtail page types. Page classes end in `Page`; templates live at
`templates/cms/<snake_name>.html` (design.md §8). Each section has its own
module under `cms/pages/`; they are imported here so Django finds them."""

from cms.pages.events import EventIndexPage, EventKind, EventPage
from cms.pages.fairs import FairIndexPage, FairPage
from cms.pages.home import HomePage
from cms.pages.villages import CraftVillageIndexPage, CraftVillagePage

__all__ = [
    "CraftVillageIndexPage",
    "CraftVillagePage",
    "EventIndexPage",
    "EventKind",
    "EventPage",
    "FairIndexPage",
    "FairPage",
    "HomePage",
]
