"""Account mail, written and sent by the worker so a request's time never
shows whether an address has an account."""

from celery import shared_task

from marketplace.core.tasks import delivery_once
from marketplace.customer.account_mail import account_register_complete, password_reset_mail


@shared_task(name="customer.account_register", ignore_result=True, bind=True)
def account_register_task(self, email: str, password_hash: str) -> str:
    """Create the account or tell its owner (`account_register_complete`),
    once per message however often it is delivered ("duplicate" otherwise).

    It carries the password's hash, never the password itself."""
    with delivery_once(self.request.id) as first:
        if not first:
            return "duplicate"
        return account_register_complete(email=email, password_hash=password_hash)


@shared_task(name="customer.password_reset_mail", ignore_result=True, bind=True)
def password_reset_mail_task(self, email: str) -> int:
    """Mail reset links to the accounts with this address, if any; once per
    message however often it is delivered."""
    with delivery_once(self.request.id) as first:
        return password_reset_mail(email=email) if first else 0
