"""Account mail, written and sent by the worker so a request's time never
shows whether an address has an account."""

from celery import shared_task

from marketplace.customer.account_mail import account_register_complete, password_reset_mail


@shared_task(name="customer.account_register", ignore_result=True)
def account_register_task(email: str, password_hash: str) -> str:
    """Create the account or tell its owner (`account_register_complete`).

    It carries the password's hash, never the password itself."""
    return account_register_complete(email=email, password_hash=password_hash)


@shared_task(name="customer.password_reset_mail", ignore_result=True)
def password_reset_mail_task(email: str) -> int:
    """Mail reset links to the accounts with this address, if any."""
    return password_reset_mail(email=email)
