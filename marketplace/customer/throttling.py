"""Sign-in throttling: the project's hooks into django-axes.

Every sign-in form (the shop's, Oscar's dashboard's, Wagtail's admin's) goes
through `django.contrib.auth.authenticate`, where axes' backend refuses a
locked account or address before any password is checked, so the right
password does not work while locked. These hooks decide what "an account"
and "an address" are, how many failures each may have, and what a locked-out
visitor sees. Settings: `AXES_*` and `LOGIN_*` in `marketplace.settings.base`.

Failures are counted in the database (axes' database handler), so every web
process behind the load balancer counts every failure: five wrong passwords
lock the account however they were spread (tests/multiprocess).
"""

import ipaddress
import math
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import (
    get_client_username,
    get_cool_off,
    get_failure_limit,
    get_lockout_parameters,
)
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

# The longest identity axes can store (AccessAttempt.username).
_IDENTITY_MAX_LENGTH = 255


def login_identity(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The account a sign-in attempt is counted against (AXES_USERNAME_CALLABLE).

    The shop's form takes an email, Wagtail's a user name or an email, and a
    successful sign-in reports the user name (a random string for shoppers).
    Counting each spelling apart would let an attacker get 5 tries per
    spelling and would leave a success unable to clear the failures, so all
    of them map to the account's email in lower case. An identifier that is
    no account's is counted as typed (lower-cased): it still locks, so
    whether an account exists never shows.
    """
    if credentials:
        raw = credentials.get("username")
    else:
        raw = request.POST.get("username") or request.POST.get("login-username")
    if not raw:
        return None
    # Control characters would not fit PostgreSQL text (NUL) or mean anything.
    typed = "".join(ch for ch in str(raw) if ch.isprintable()).strip()
    typed = typed[:_IDENTITY_MAX_LENGTH]
    if not typed:
        return None

    known = getattr(request, "_login_identities", None)
    if known is None:
        known = request._login_identities = {}
    if typed not in known:
        known[typed] = _account_email(typed) or typed.lower()
    return known[typed]


def _account_email(typed: str) -> str | None:
    if "@" in typed:
        return None  # an email is already its own identity
    email = (
        get_user_model()
        ._default_manager.filter(username=typed)
        .values_list("email", flat=True)
        .first()
    )
    return email.lower()[:_IDENTITY_MAX_LENGTH] if email else None


def client_ip(request: HttpRequest) -> str | None:
    """The visitor's address (AXES_CLIENT_IP_CALLABLE).

    Behind `TRUSTED_PROXY_COUNT` proxies that each append the address they
    saw to X-Forwarded-For, the visitor is the entry that many places from
    the right: entries further left are whatever the visitor sent, so
    trusting them (or the left-most one) would let an attacker pick a new
    address for every attempt. With no proxy (the default) the socket's
    address is the only one that cannot be forged.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count:
            address = valid_ip(forwarded[-count])
            if address:
                return address
    return valid_ip(request.META.get("REMOTE_ADDR", ""))


def valid_ip(value: str) -> str | None:
    """The address in canonical form, or None if it is not one."""
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


class LoginAttemptsHandler(AxesDatabaseHandler):
    """axes' database handler with separate limits for accounts and addresses.

    The database, not the cache, holds the attempts, so throttling keeps
    working when Redis is down.
    """

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """Failures in the cool-off window, scaled to AXES_FAILURE_LIMIT.

        axes compares one number with one limit. An address gets
        LOGIN_IP_FAILURE_LIMIT instead, since many shoppers share one address
        behind a mobile carrier's NAT: its count is scaled so that it reaches
        AXES_FAILURE_LIMIT exactly when it reaches its own limit.
        """
        limit = get_failure_limit(request, credentials)
        ip_limit = settings.LOGIN_IP_FAILURE_LIMIT
        worst = 0
        parameters = get_lockout_parameters(request, credentials)
        for parameter, attempts in zip(
            parameters, self.get_user_attempts(request, credentials), strict=True
        ):
            failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            if parameter == "ip_address":
                failures = failures * limit // ip_limit
            worst = max(worst, failures)
        return worst

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """A successful sign-in clears its account's failures, not its address's.

        axes would clear both; then an attacker who owns one account could
        sign into it between guesses at other people's and never reach the
        address limit.
        """
        identity = get_client_username(request, credentials)
        if not identity:
            return 0
        count, _ = AccessAttempt.objects.filter(username=identity).delete()
        return count


def lockout_wait(request: HttpRequest, credentials: dict | None = None) -> timedelta:
    """How long until the account or address that locked this request may try again.

    The lock lifts when the latest counted failure leaves the cool-off
    window; failures while locked are not counted, so this does not grow.
    """
    cool_off = get_cool_off(request) or timedelta(0)
    identity = get_client_username(request, credentials)
    address = getattr(request, "axes_ip_address", None) or client_ip(request)
    threshold = timezone.now() - cool_off
    latest = None
    for field, value in (("username", identity), ("ip_address", address)):
        if not value:
            continue
        newest = (
            AccessAttempt.objects.filter(**{field: value}, attempt_time__gte=threshold)
            .aggregate(t=Max("attempt_time"))
            .get("t")
        )
        if newest and (latest is None or newest > latest):
            latest = newest
    if latest is None:
        return cool_off
    return max(latest + cool_off - timezone.now(), timedelta(0))


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """What a locked-out sign-in sees (AXES_LOCKOUT_CALLABLE): a page in the
    visitor's language saying how many minutes to wait, with 429 and
    Retry-After, on the shop's, the dashboard's and Wagtail's forms alike."""
    wait = lockout_wait(request, credentials)
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    response = render(
        request,
        "customer/lockout.html",
        {"minutes": minutes},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    response["Retry-After"] = str(minutes * 60)
    return response


def login_lockouts() -> list[dict]:
    """Accounts and addresses locked right now, worst first, for the
    operators' unlock page: kind ("username" or "ip_address"), value,
    failures, and when the lock lifts."""
    cool_off = get_cool_off() or timedelta(0)
    recent = AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - cool_off)
    rows = []
    for field, limit in (
        ("username", settings.AXES_FAILURE_LIMIT),
        ("ip_address", settings.LOGIN_IP_FAILURE_LIMIT),
    ):
        groups = (
            recent.exclude(**{f"{field}__isnull": True})
            .values(field)
            .annotate(failures=Sum("failures_since_start"), latest=Max("attempt_time"))
            .filter(failures__gte=limit)
        )
        rows += [
            {
                "kind": field,
                "value": group[field],
                "failures": group["failures"],
                "until": group["latest"] + cool_off,
            }
            for group in groups
        ]
    return sorted(rows, key=lambda row: (-row["failures"], row["value"]))
