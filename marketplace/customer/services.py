"""Accounts: registration and password reset that never tell a visitor
whether an address already has an account.

Both answer the same page in the same time whatever the address: the
request only checks the form, hashes the password (the slow part, done on
both paths) and enqueues one task. The worker then looks the address up and
writes the right mail: an activation link for a new account, a notice to
the owner of an existing one, a reset link, or nothing.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from oscar.apps.customer.forms import generate_username
from oscar.apps.customer.utils import get_password_reset_url, normalise_email

from marketplace.core.tasks import enqueue

User = get_user_model()


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    """Tokens for the link that activates a new account.

    Bound to the password hash, so registering the address again (which
    replaces the password) voids earlier links; and to the active flag and
    last sign-in, so a link works once.
    """

    key_salt = "marketplace.customer.services.ActivationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"


activation_token_generator = ActivationTokenGenerator()


def _enqueue_after_commit(task, *args) -> None:
    """Send a task once the request's transaction commits, best effort: a
    broker that is down costs this one mail (the visitor can ask again),
    never a 500. Not an outbox entry: the registration task carries a
    password hash, which must not sit in a table."""
    transaction.on_commit(lambda: enqueue(task, *args))


def _site_url(path: str) -> str:
    # The configured base URL, never the request's Host header: a forged
    # Host would otherwise put an attacker's domain in the mailed link.
    return settings.SITE_URL.rstrip("/") + path


def _mail(*, template: str, address: str, context: dict) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"customer/emails/{template}_subject.txt", context).strip()
        body = render_to_string(f"customer/emails/{template}_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])


# --- registration ------------------------------------------------------------


def account_register(*, email: str, password: str) -> None:
    """Start a registration (request side). The visitor is told to check
    their mail whatever happens next; see `account_register_complete`."""
    from marketplace.customer.tasks import account_register_task

    _enqueue_after_commit(account_register_task, normalise_email(email), make_password(password))


def account_register_complete(*, email: str, password_hash: str) -> str:
    """Finish a registration in the worker, and say which case it was.

    - "created": a new, inactive account; its activation link is mailed.
    - "pending": an account registered before but never activated takes the
      new password and gets a fresh link (earlier links stop working), so
      someone who registered an address that is not theirs cannot hold it.
    - "existing": the owner of an account is told someone tried to register
      with their address, with links to sign in and to reset the password.
    """
    account = User._default_manager.filter(email__iexact=email).order_by("pk").first()
    if account is None:
        account = User._default_manager.create(
            username=generate_username(),
            email=email,
            password=password_hash,
            is_active=False,
        )
        outcome = "created"
    elif not account.is_active and account.last_login is None:
        account.password = password_hash
        account.save(update_fields=["password"])
        outcome = "pending"
    else:
        outcome = "existing"

    if outcome == "existing":
        _mail(
            template="registration_existing",
            address=account.email,
            context={
                "login_url": _site_url(reverse("customer:login")),
                "reset_url": _site_url(reverse("password-reset")),
            },
        )
    else:
        _mail(
            template="registration_activate",
            address=account.email,
            context={"activate_url": _site_url(account_activation_path(account))},
        )
    return outcome


def account_activation_path(user) -> str:
    return reverse(
        "customer:activate",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": activation_token_generator.make_token(user),
        },
    )


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
    from marketplace.customer.tasks import password_reset_mail_task

    _enqueue_after_commit(password_reset_mail_task, email)


def password_reset_mail(*, email: str, token_generator=default_token_generator) -> int:
    """Mail a reset link to each active account with this address (worker
    side); returns how many were sent. Django's rules pick the accounts:
    active, with a usable password, the address matching case-insensitively."""
    sent = 0
    for user in PasswordResetForm().get_users(email):
        _mail(
            template="password_reset",
            address=user.email,
            context={
                "user": user,
                "reset_url": _site_url(get_password_reset_url(user, token_generator)),
            },
        )
        sent += 1
    return sent


# --- sign-in throttling ------------------------------------------------------


def login_lockout_clear(*, username: str | None = None, ip_address: str | None = None) -> int:
    """Unlock an account or an address now (an operator's decision), and
    return how many attempt records were removed. An account is named by
    its email, as throttling counts it (`throttling.login_identity`)."""
    from axes.utils import reset

    if not username and not ip_address:
        return 0  # axes would otherwise clear every attempt
    return reset(username=username.lower() if username else None, ip=ip_address or None)
