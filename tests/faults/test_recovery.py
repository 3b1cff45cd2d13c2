"""After the faults of tests/faults/test_fault_matrix.py (issue 13): every
order that committed was shown to its shopper, and once the dependencies
are back, its confirmation mail goes out exactly once.

Runs after the matrix (pytest takes the files in name order) on the same
site; Stripe's retry of every webhook the site did not accept is sent
first, as Stripe would. Beat's outbox sweep is run at once instead of after
its grace period.
"""

import time
from collections import Counter

import pytest

from tests.faults.shoppers import webhook_post

pytestmark = [pytest.mark.faults, pytest.mark.timeout(600)]

MAIL_WAIT = 60.0


def test_every_committed_order_was_shown_and_is_mailed_once_after_recovery(site, ledger):
    if not ledger.shoppers:
        pytest.skip("nothing ordered: run it with tests/faults/test_fault_matrix.py")
    # given every dependency back
    site.faults_clear()
    site.wait_ready()
    problems = []
    # when Stripe retries each webhook the site did not answer with 200
    for episode, card, status in ledger.webhooks.values():
        if status != 200:
            retried = webhook_post(site, card).outcome()
            ledger.recovery_notes.append(
                f"- webhook of {episode} (answered {status}) retried: {retried.status}"
            )
            if retried.status != 200:
                problems.append(f"{episode}: the retried webhook answered {retried.status}")
    # and beat's sweep runs
    swept = site.outbox_sweep()
    # then every order this run committed gets one mail
    orders = dict(
        site.sql(
            "SELECT number, guest_email FROM order_order WHERE guest_email LIKE %s",
            (f"%.{ledger.run}@faults.example.vn",),
        )
    )
    deadline = time.monotonic() + MAIL_WAIT
    while time.monotonic() < deadline and not all(site.mail.order_mails(orders).values()):
        time.sleep(1)
    time.sleep(3)  # a second mail for the same order would come about now
    mails = site.mail.order_mails(orders)
    ledger.recovery_notes.append(
        f"- after recovery: the sweep ran {swept} recorded task(s); "
        f"{len(orders)} order(s) committed, {len(site.mail.messages)} mail(s) received"
    )
    # and every COD order that committed was shown to the shopper who placed it
    committed_by = {}
    for number, email_address in orders.items():
        committed_by.setdefault(email_address, []).append(number)
    per_episode: dict[str, Counter] = {}
    for email_address, (episode, shown) in ledger.shoppers.items():
        counts = per_episode.setdefault(episode, Counter())
        committed = committed_by.get(email_address, [])
        counts["committed"] += len(committed)
        counts["shown"] += sum(1 for number in committed if number == shown)
        counts["mailed once"] += sum(1 for number in committed if mails[number] == 1)
        for number in committed:
            if number != shown:
                problems.append(f"{episode}: order {number} committed, shopper saw {shown}")
    for email_address, (episode, _card, _status) in ledger.webhooks.items():
        counts = per_episode.setdefault(episode, Counter())
        committed = committed_by.get(email_address, [])
        counts["card committed"] += len(committed)
        counts["mailed once"] += sum(1 for number in committed if mails[number] == 1)
    for number, count in mails.items():
        if count != 1:
            problems.append(f"order {number} ({orders[number]}): {count} mails")
    for episode, counts in per_episode.items():
        ledger.recovery[episode] = (
            f"COD {counts['committed']} committed / {counts['shown']} shown; "
            f"card {counts['card committed']}; mailed once {counts['mailed once']}"
        )
    if problems:  # what the worker said about its outbox work, to tell why
        problems += ["worker log (outbox):", *site.log_lines("celery", "outbox")[-20:]]
    assert not problems, "\n".join(problems)
