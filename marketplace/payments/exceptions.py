"""Why a payment write was refused (as Oscar keeps its own in
`oscar.apps.payment.exceptions`).

A refund refused is an operator's matter, not a shopper's checkout: the
dashboard catches `RefundRefused` and shows its message; checkout's
refusals are `marketplace.order.exceptions.CheckoutRefused`.
"""


class RefundRefused(Exception):
    """Money cannot be refunded (or a bank refund recorded) as asked: a COD
    order, no payment to refund, more than is left; the message says why,
    in words for the operator."""
