"""The account's data page: download everything, or delete the account for good.

Both act on the logged-in user only; there is no id in the URL for anyone to change.
"""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from kneecap.application.portability import services
from kneecap.web.http import AuthenticatedHttpRequest
from kneecap.web.portability.forms import DeleteAccountForm
from kneecap.web.ratelimit import limited


@require_http_methods(["GET", "POST"])
@login_required
@limited("export", methods=("GET", "POST"))
def export(request: AuthenticatedHttpRequest) -> FileResponse:
    # Built in a temporary file, not in memory; the response closes (and so removes) it.
    spool = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        services.write_export(request.user, spool)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    name = f"kneecap-{request.user.get_username()}-{timezone.localdate():%Y-%m-%d}.zip"
    return FileResponse(spool, as_attachment=True, filename=name, content_type="application/zip")


@require_http_methods(["GET", "POST"])
@login_required
def delete_account(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.delete_user(request.user)
        logout(request)
        messages.success(request, "Your account and all its data are deleted.")
        return redirect("kc-login")
    status = 400 if request.method == "POST" else 200
    return render(request, "portability/delete.html", {"form": form}, status=status)
