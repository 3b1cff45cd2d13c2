"""Oscar's order app, forked for the marketplace: an order's lines are
grouped into one parcel per producer, each with its own status, and stock
is allocated under a row lock so concurrent checkouts never oversell."""

import oscar.apps.order.apps as apps


class OrderConfig(apps.OrderConfig):
    name = "marketplace.order"
