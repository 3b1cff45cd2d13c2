"""Oscar's order admin, plus parcels."""

from django.contrib import admin
from oscar.apps.order.admin import *  # noqa: F403

from marketplace.order.models import Parcel

admin.site.register(Parcel)
