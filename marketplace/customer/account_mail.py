"""What each registration or password-reset request turns into, in the
worker: the account looked up (or created, inactive) and the right mail
written. `services` sends the tasks (`marketplace.customer.tasks`) that call
in here; the activation link's token is made here and checked there.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from oscar.apps.customer.forms import generate_username
from oscar.apps.customer.utils import get_password_reset_url

User = get_user_model()


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    """Tokens for the link that activates a new account.

    Bound to the password hash, so registering the address again (which
    replaces the password) voids earlier links; and to the active flag and
    last sign-in, so a link works once.
    """

    # The class's former path, kept so links mailed before it moved still work.
    key_salt = "marketplace.customer.services.ActivationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"


activation_token_generator = ActivationTokenGenerator()


def _site_url(path: str) -> str:
    # The configured base URL, never the request's Host header: a forged
    # Host would otherwise put an attacker's domain in the mailed link.
    return settings.SITE_URL.rstrip("/") + path


def _mail(*, template: str, address: str, context: dict) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"customer/emails/{template}_subject.txt", context).strip()
        body = render_to_string(f"customer/emails/{template}_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])


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
