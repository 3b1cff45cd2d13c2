"""Accounts: registration and password reset that never tell a visitor
whether an address already has an account.

Both answer the same page in the same time whatever the address: the
request only checks the form, hashes the password (the slow part, done on
both paths) and enqueues one task. The worker then looks the address up and
writes the right mail (`marketplace.customer.account_mail`): an
activation link for a new account, a notice to the owner of an existing
one, a reset link, or nothing. The arrows run services → tasks →
account_mail and never back.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from oscar.apps.customer.utils import normalise_email

from marketplace.core.tasks import enqueue
from marketplace.customer.account_mail import activation_token_generator
from marketplace.customer.tasks import account_register_task, password_reset_mail_task

User = get_user_model()


def _enqueue_after_commit(task, *args) -> None:
    """Send a task once the request's transaction commits, best effort: a
    broker that is down costs this one mail (the visitor can ask again),
    never a 500. Not an outbox entry: the registration task carries a
    password hash, which must not sit in a table."""
    transaction.on_commit(lambda: enqueue(task, *args))


# --- registration ------------------------------------------------------------


def account_register(*, email: str, password: str) -> None:
    """Start a registration (request side). The visitor is told to check
    their mail whatever happens next; see
    `account_mail.account_register_complete`."""
    _enqueue_after_commit(account_register_task, normalise_email(email), make_password(password))


def account_for_activation(*, uidb64: str, token: str):
    """The inactive account an activation link names, or None if the link
    is wrong, used or stale."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    if not 0 < pk < 2**31:  # beyond PostgreSQL's integer: a 500, not a miss
        return None
    user = User._default_manager.filter(pk=pk, is_active=False).first()
    if user is None or not activation_token_generator.check_token(user, token):
        return None
    return user


def account_activate(*, user) -> None:
    """The owner of the address opened the link: the account may sign in."""
    user.is_active = True
    user.save(update_fields=["is_active"])


# --- password reset ----------------------------------------------------------


def password_reset_request(*, email: str) -> None:
    """Ask for a reset link (request side): the same task for every address,
    known or not, so the page takes the same time either way."""
    _enqueue_after_commit(password_reset_mail_task, email)


# --- sign-in throttling ------------------------------------------------------


def login_lockout_clear(*, username: str | None = None, ip_address: str | None = None) -> int:
    """Unlock an account or an address now (an operator's decision), and
    return how many attempt records were removed. An account is named by
    its email, as throttling counts it (`throttling.login_identity`)."""
    from axes.utils import reset

    if not username and not ip_address:
        return 0  # axes would otherwise clear every attempt
    return reset(username=username.lower() if username else None, ip=ip_address or None)
