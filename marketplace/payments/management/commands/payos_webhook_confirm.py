"""`manage.py payos_webhook_confirm [URL]`: register the shop's payOS webhook.

payOS sends transfers only to a URL confirmed through its API (the SDK's
`webhooks.confirm`); payOS first posts a signed test webhook to it, which
the shop acknowledges (its orderCode matches no attempt). Run once per
environment, after deploying, with the public address of
/payments/payos/webhook/ (default: SITE_URL's).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from marketplace.payments.payos_client import PayosClient, PayosNotConfigured, PayosUnavailable


class Command(BaseCommand):
    help = "Register the shop's webhook URL with payOS (through the payos SDK)."

    def add_arguments(self, parser):
        parser.add_argument("url", nargs="?", help="default: SITE_URL + /payments/payos/webhook/")

    def handle(self, *args, url=None, **options):
        url = url or settings.SITE_URL.rstrip("/") + reverse("payos-webhook")
        try:
            confirmed = PayosClient.from_settings().webhook_confirm(url)
        except (PayosNotConfigured, PayosUnavailable) as error:
            raise CommandError(f"payOS did not confirm {url}: {error}") from error
        self.stdout.write(
            f"payOS will send transfers for {confirmed['account_name']} "
            f"({confirmed['account_number']}) to {confirmed['webhook_url']}"
        )
