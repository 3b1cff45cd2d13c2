"""A shopper and an operator, as the sign-in throttling tests have them."""

from tests.customer.conftest import operator, shopper  # noqa: F401
