"""Who is working for which producer in this request.

A member works for their own producer. An operator (staff) works for the
producer they chose to support, kept in the session, so one operator can
help one producer at a time and every change is recorded as support.
"""

from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from marketplace.ocop.models import Producer
from marketplace.producers.models import ProducerMembership

SUPPORT_SESSION_KEY = "workspace_support_producer"


@dataclass(frozen=True)
class Workspace:
    """The producer this request works for, and whether an operator is
    acting as support."""

    producer: Producer
    by_support: bool


def membership_of(user) -> ProducerMembership | None:
    """The user's membership, read through the one-to-one relation, which
    Django caches on `request.user`: the access check, the dashboard menu
    and the site header then share one query."""
    if not user.is_authenticated:
        return None
    try:
        return user.producer_membership
    except ProducerMembership.DoesNotExist:
        return None


def workspace_for(request) -> Workspace | None:
    user = request.user
    if user.is_staff:
        producer_id = request.session.get(SUPPORT_SESSION_KEY)
        producer = Producer.objects.filter(pk=producer_id).first() if producer_id else None
        if producer:
            return Workspace(producer, by_support=True)
    membership = membership_of(user)
    return Workspace(membership.producer, by_support=False) if membership else None


def workspace_view(view):
    """Require a signed-in member (or a supporting operator) and put the
    workspace on `request.workspace`."""

    @login_required(login_url="customer:login")
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        workspace = workspace_for(request)
        if workspace is None:
            if request.user.is_staff:
                messages.info(request, _("Hãy chọn chủ thể cần hỗ trợ."))
                return redirect("dashboard:producers-list")
            messages.info(request, _("Tài khoản của bạn chưa gắn với chủ thể OCOP nào."))
            return redirect("producers:claim-find")
        request.workspace = workspace
        return view(request, *args, **kwargs)

    return wrapped


def in_workspace(user, *args, **kwargs) -> bool:
    """Dashboard menu rule: show the workspace entries to members, and to
    operators (who reach it by choosing a producer to support)."""
    return user.is_staff or membership_of(user) is not None


def workspace_render(request, template: str, context: dict | None = None):
    """`render` with the workspace in the context (for base.html's banner)."""
    from django.shortcuts import render

    return render(request, template, {"workspace": request.workspace, **(context or {})})
