"""Payments: Stripe cards and cash on delivery (checkout issue)."""
