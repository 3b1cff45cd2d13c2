"""Registering the shop's webhook URL with payOS through the SDK
(`manage.py payos_webhook_confirm`), against the stand-in."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse


@pytest.mark.django_db(transaction=True)
def test_the_webhook_url_is_confirmed_after_payos_test_webhook_is_acknowledged(
    live_server, payos_standin, capsys
):
    url = live_server.url + reverse("payos-webhook")
    call_command("payos_webhook_confirm", url)
    # payOS's signed test webhook (an orderCode the shop does not know) got 200
    assert payos_standin.webhook_log[-1]["status"] == 200
    assert payos_standin.webhook_url == url
    assert url in capsys.readouterr().out


@pytest.mark.django_db
def test_a_url_that_does_not_answer_is_not_confirmed(payos_standin):
    with pytest.raises(CommandError, match="did not confirm"):
        call_command("payos_webhook_confirm", "http://127.0.0.1:9/payments/payos/webhook/")
    assert payos_standin.webhook_url == ""
