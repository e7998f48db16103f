"""The national portal sync page (issue [I] 4): counts, lag, failures with the portal's words,
requeue one or all. Administrators only."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from motcua.accounts.permissions import role_required
from motcua.accounts.roles import Role
from motcua.dossiers.changes import feed_requeue
from motcua.dvcqg.selectors import SUBSCRIBER, dvcqg_status, sync_problems


@role_required(Role.ADMINISTRATOR)
def dvcqg_sync(request):
    return render(
        request,
        "backoffice/dvcqg/sync.html",
        {"status": dvcqg_status(), "problems": sync_problems()},
    )


@role_required(Role.ADMINISTRATOR)
@require_POST
def dvcqg_requeue(request):
    """Requeue one change (`delivery`) or every failed and dead one (no `delivery`)."""
    chosen = request.POST.get("delivery", "").strip()
    if chosen and not chosen.isdigit():
        messages.error(request, "Thay đổi được chọn không hợp lệ.")
        return redirect("backoffice:dvcqg_sync")
    count = feed_requeue(SUBSCRIBER, [int(chosen)] if chosen else None)
    messages.success(request, f"Đã xếp lại {count} thay đổi vào hàng chờ gửi lên Cổng DVCQG.")
    return redirect("backoffice:dvcqg_sync")
