"""Oscar's "recently viewed" history, kept off the shared product page.

The product page is the same for every visitor without a basket or session
(it is cached whole), so Oscar's `{% recently_viewed_products %}` tag, which
reads the visitor's `oscar_history` cookie while the page renders, must show
nothing there. The visitor's browser fetches the block instead from
`catalogue:product-seen` (catalogue.views.product_seen), which reads the
cookie itself and, through Oscar's `product_viewed` receiver, updates it
with this manager's `update`.
"""

from oscar.apps.customer.history import CustomerHistoryManager as OscarCustomerHistoryManager


class CustomerHistoryManager(OscarCustomerHistoryManager):
    @classmethod
    def get(cls, request):
        """Nothing: only the template tag on the shared product page asks."""
        return []
