"""Operators see who is locked out of signing in and can unlock them.
Staff only. The same as `manage.py axes_reset_username <email>` or
`axes_reset_ip <address>`, for operators without a shell."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.core import request_params
from marketplace.customer.services import login_lockout_clear
from marketplace.customer.throttling import login_lockouts, valid_ip
from marketplace.dashboard.permissions import staff_required


@staff_required
def lockout_list(request):
    return render(request, "oscar/dashboard/lockouts/lockout_list.html", {"rows": login_lockouts()})


@staff_required
@require_POST
def lockout_clear(request):
    kind = request_params.choice(request.POST.get("kind"), ("username", "ip_address"))
    value = request_params.text(request.POST.get("value"), max_length=255) or ""
    if kind == "ip_address":
        value = valid_ip(value) or ""
    if kind is None or not value:
        messages.error(request, _("Không rõ cần mở khoá tài khoản hay địa chỉ nào."))
        return redirect("dashboard:lockouts-list")
    login_lockout_clear(**{kind: value})
    messages.success(request, _("Đã mở khoá %(value)s.") % {"value": value})
    return redirect("dashboard:lockouts-list")
