"""The shop under a bad day in production (issue 13): every page a shopper
uses, while PostgreSQL, Redis or OpenSearch is down, hanging, 1 s slow, or
resetting connections, on the real site (gunicorn, production settings, a
Celery worker; tests/faults/site.py).

Expected: no 500 except while the database is at fault, and then the
Vietnamese error page; every answer within 2 s; a COD shopper whose order
commits sees its number. Mail after recovery: tests/faults/test_recovery.py.

Each fault is one episode (a module fixture, so pytest runs the seven pages
under it back to back): the site settles, a card payment is opened for the
webhook to complete, the worker finishes the previous episode's work, the
fault is applied, the pages run, and the fault is removed with every
connection that went through it dropped.
"""

from dataclasses import dataclass

import pytest

from tests.faults.matrix import ANSWER_WITHIN, Outcome
from tests.faults.shoppers import Visit, card_attempt_open, cod_checkout, webhook_post
from tests.faults.site import DEPENDENCIES, FAULTS, PRODUCT_LINK

# The fixture setup of the first test builds the site (minutes on a fresh
# machine); each request below is bounded by the client's timeout.
pytestmark = [pytest.mark.faults, pytest.mark.timeout(1800)]

EPISODES = [("none", "none")] + [(d, f) for d in DEPENDENCIES for f in FAULTS]


@dataclass
class Episode:
    name: str
    dependency: str
    fault: str
    card: dict  # the PaymentIntent opened before the fault, for the webhook

    @property
    def database_at_fault(self) -> bool:
        """The one dependency without which a page cannot be made: a 500
        (our Vietnamese page) is the expected answer."""
        return self.dependency == "postgres"


def _episode_name(param) -> str:
    dependency, fault = param
    return "no-fault" if dependency == "none" else f"{dependency}-{fault}"


@pytest.fixture(scope="module", params=EPISODES, ids=_episode_name)
def episode(request, site, catalogue, ledger):
    dependency, fault = request.param
    name = _episode_name(request.param)
    try:
        site.wait_ready(deadline=30)
    except RuntimeError as exc:
        ledger.recovery[name] = "the site had not recovered from the previous fault"
        pytest.fail(f"the site did not recover before {name}: {exc}")
    card = card_attempt_open(site, catalogue, ledger.email("card", name))
    try:
        # the previous episode's mails are sent and marked done before this
        # fault can cut the worker off between the two
        site.worker_idle_wait()
    except RuntimeError as exc:
        ledger.recovery[name] = "the worker had not finished the previous episode's work"
        pytest.fail(f"the worker was not idle before {name}: {exc}")
    if dependency != "none":
        site.fault_apply(dependency, fault)
    try:
        yield Episode(name, dependency, fault, card)
    finally:
        if dependency != "none":
            site.fault_clear(dependency)


def judge(episode: Episode, page: str, outcome: Outcome, ledger, *, want=200, content=None):
    """Record the cell and fail it if it breaks the expectation."""
    problems = outcome.problems
    if outcome.status is None:
        problems.append("no answer")
    elif outcome.status >= 500:
        if not episode.database_at_fault:
            problems.append("500")
        elif not outcome.error_page:
            problems.append("not the Vietnamese error page")
    elif outcome.status != want:
        problems.append(f"expected {want}")
    elif content is not None and not content:
        problems.append("the page lacks what it should show")
    if outcome.seconds >= ANSWER_WITHIN and outcome.status is not None:
        problems.append("slow")
    ledger.outcomes[(episode.name, page)] = outcome
    assert not problems, f"{page} with {episode.name}: {outcome.cell()}"


def _page(site, path: str) -> tuple[Outcome, str]:
    visit = Visit(site)
    response = visit.get(path)
    return visit.outcome(), response.text if response is not None else ""


def test_home(episode, site, ledger):
    outcome, _body = _page(site, "/")
    judge(episode, "home", outcome, ledger)


def test_shop(episode, site, ledger):
    outcome, body = _page(site, "/shop/")
    judge(episode, "shop", outcome, ledger, content=PRODUCT_LINK.search(body))


def test_search(episode, site, catalogue, ledger):
    outcome, body = _page(site, f"/shop/search/?q={catalogue.search_query}")
    judge(episode, "search", outcome, ledger, content=PRODUCT_LINK.search(body))


def test_product(episode, site, catalogue, ledger):
    outcome, body = _page(site, catalogue.product_path)
    judge(episode, "product", outcome, ledger, content=catalogue.product_title in body)


def test_certificate(episode, site, catalogue, ledger):
    outcome, body = _page(site, f"/chung-nhan/?so={catalogue.certificate_number}")
    judge(episode, "certificate", outcome, ledger, content=catalogue.certificate_number in body)


def test_cod_checkout(episode, site, catalogue, ledger):
    email_address = ledger.email("cod", episode.name)
    visit, number = cod_checkout(site, catalogue, email_address)
    ledger.shoppers[email_address] = (episode.name, number)
    outcome = visit.outcome()
    if number:
        outcome.notes.append(f"order {number}")
    elif not episode.database_at_fault:
        outcome.problems.append("no order number shown")
    judge(episode, "cod_checkout", outcome, ledger, want=outcome.status)


def test_stripe_webhook(episode, site, ledger):
    visit = webhook_post(site, episode.card)
    outcome = visit.outcome()
    ledger.webhooks[episode.card["email"]] = (episode.name, episode.card, outcome.status)
    judge(episode, "stripe_webhook", outcome, ledger)
