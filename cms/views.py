"""Calendar downloads for fairs and events: the whole upcoming feed to
subscribe to, and one `.ics` per page for "add to calendar" buttons."""

from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header
from wagtail.models import Page

from cms.calendar import calendar_build
from cms.models import EventPage, FairPage

CONTENT_TYPE = "text/calendar; charset=utf-8"


def _host(request) -> str:
    # the UID's domain part; the port would change it between environments
    return request.get_host().split(":")[0]


def feed(request):
    """Upcoming published fairs and events, soonest first."""
    pages = [
        *FairPage.objects.upcoming().public(),
        *EventPage.objects.upcoming().public(),
    ]
    pages.sort(key=lambda page: (page.start_at, page.pk))
    calendar = calendar_build(pages, host=_host(request), request=request)
    return HttpResponse(calendar.to_ical(), content_type=CONTENT_TYPE)


def event(request, pk: int):
    """One published fair or event, past or upcoming, as a download."""
    page = Page.objects.live().public().type(FairPage, EventPage).filter(pk=pk).specific().first()
    if page is None:
        raise Http404
    calendar = calendar_build([page], host=_host(request), request=request, name=page.title)
    response = HttpResponse(calendar.to_ical(), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{page.slug}.ics"
    )
    return response
