"""Payment endpoints, mounted at /payments/ (no namespace, so the webhook
is reversed as "stripe-webhook" and "payos-webhook")."""

from django.urls import path

from marketplace.payments import views

urlpatterns = [
    path("stripe/webhook/", views.stripe_webhook, name="stripe-webhook"),
    path("payos/webhook/", views.payos_webhook, name="payos-webhook"),
]
