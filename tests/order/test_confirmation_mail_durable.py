"""A committed order reaches its shopper, and its mail goes out exactly
once, even while the Celery broker (Redis) is down (issue 13, finding 2)."""

import threading
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from marketplace.outbox.models import OutboxTask
from marketplace.outbox.tasks import outbox_run_task, outbox_sweep_task
from marketplace.outbox.worker import outbox_run
from tests.factories import certified_product_create, checkout_shown, producer_create

Order = get_model("order", "Order")

FORM = {
    "name": "Nguyễn Thị Lan",
    "phone": "0912 345 678",
    "email": "lan@example.vn",
    "province": "Hà Nội",
    "ward": "Phường Tây Hồ",
    "street": "12 Quảng An",
    "payment": "cod",
}


@pytest.fixture
def product():
    return certified_product_create(
        title="Bình gốm Bát Tràng",
        producer=producer_create("HTX Gốm Bát Tràng"),
        price=Decimal("450000"),
    )


def _checkout(client, product):
    response = client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    assert response.status_code == 302
    return client.post(reverse("checkout:index"), checkout_shown(client, FORM))


def _minutes_pass(minutes=5):
    """The sweep's grace period is over for everything recorded so far."""
    OutboxTask.objects.update(created_at=timezone.now() - timedelta(minutes=minutes))


def _confirmations(mailoutbox, order):
    return [m for m in mailoutbox if order.number in m.subject]


@pytest.mark.django_db(transaction=True)
def test_a_cod_checkout_with_the_broker_down_shows_the_order_and_mails_it_once_later(
    client, product, mailoutbox, broker_down
):
    # given the broker is down while a guest checks out, cash on delivery
    with broker_down():
        response = _checkout(client, product)
        # then the order is committed and the shopper sees its number
        assert response.status_code == 302
        assert response["Location"] == reverse("checkout:thank-you")
        order = Order.objects.get()
        thanks = client.get(response["Location"])
        assert thanks.status_code == 200
        assert order.number in thanks.content.decode()
    # and no mail went out yet, but the mail is recorded as owed
    assert mailoutbox == []
    assert OutboxTask.objects.filter(done_at__isnull=True).count() == 1
    # when the broker is back and the sweep runs after its grace period
    _minutes_pass()
    outbox_sweep_task()
    # then the confirmation goes out once
    assert [m.to for m in _confirmations(mailoutbox, order)] == [["lan@example.vn"]]
    # and sweeping again sends nothing more
    outbox_sweep_task()
    assert len(mailoutbox) == 1
    assert OutboxTask.objects.get().done_at is not None


@pytest.mark.django_db
def test_the_sweep_leaves_recent_work_to_the_normal_path(client, product, mailoutbox, broker_down):
    # given an order placed a moment ago while the broker was down
    with broker_down():
        _checkout(client, product)
    # when the sweep runs within the grace period
    outbox_sweep_task()
    # then it leaves the mail to the task that may still be on its way
    assert mailoutbox == []
    assert OutboxTask.objects.filter(done_at__isnull=True).count() == 1


@pytest.mark.django_db
def test_the_normal_path_then_the_sweep_and_a_redelivery_mail_once(
    client, product, mailoutbox, django_capture_on_commit_callbacks
):
    # given an order whose mail the worker sent after commit
    with django_capture_on_commit_callbacks(execute=True):
        _checkout(client, product)
    order = Order.objects.get()
    assert len(_confirmations(mailoutbox, order)) == 1
    # when the sweep runs later, and the broker delivers the task again
    _minutes_pass()
    outbox_sweep_task()
    outbox_run_task(OutboxTask.objects.get().pk)
    # then no second mail goes out
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_a_failed_send_is_kept_and_sent_by_the_sweep(
    client, product, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    # given the mail server refuses while the order is placed
    import smtplib

    from marketplace.order import tasks

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("mail server gone")

    monkeypatch.setattr(tasks, "send_mail", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        response = _checkout(client, product)
    # then the shopper still gets the thank-you page, and the failure is kept
    assert response.status_code == 302
    owed = OutboxTask.objects.get()
    assert (owed.done_at, owed.attempts) == (None, 1)
    assert "mail server gone" in owed.last_error
    # when the mail server is back and the sweep runs
    monkeypatch.undo()
    _minutes_pass()
    outbox_sweep_task()
    # then the mail goes out
    assert len(_confirmations(mailoutbox, Order.objects.get())) == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_the_same_mail_send_it_once(
    client, product, mailoutbox, broker_down, monkeypatch
):
    # given an order whose mail is owed (placed while the broker was down)
    with broker_down():
        _checkout(client, product)
    owed = OutboxTask.objects.get()
    # and a slow mail server, so both workers are inside at once
    from marketplace.order import tasks

    send = tasks.send_mail

    def slow_send(*args, **kwargs):
        time.sleep(0.5)
        return send(*args, **kwargs)

    monkeypatch.setattr(tasks, "send_mail", slow_send)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(outbox_run(task_id=owed.pk))
        except Exception as exc:  # noqa: BLE001  (any failure is the finding)
            errors.append(exc)
        finally:
            connection.close()

    # when two workers (the task and the sweep) run it at the same moment
    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then one sent it and the other found it taken
    assert errors == []
    assert sorted(results) == [False, True]
    assert len(mailoutbox) == 1
