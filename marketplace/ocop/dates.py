"""The OCOP day: certificates are valid by calendar date in Vietnam.

A certificate whose last day is today is still valid until local midnight,
whatever the server's clock zone, so every "today" the listing rule asks
for comes from here. Callers that tests must be able to move read it as
`dates.today_in_vietnam()`, through the module.
"""

from datetime import date

from django.utils import timezone


def today_in_vietnam() -> date:
    """Today's date in Asia/Ho_Chi_Minh (TIME_ZONE), so expiry takes effect
    at local midnight with no job running."""
    return timezone.localdate()
