"""Reminder settings (a card on Settings) and the unsubscribe link of reminder emails."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from kneecap.application import reminders
from kneecap.core.reminders import Kind
from kneecap.db.accounts.users import User
from kneecap.web.accounts.forms import RemindersForm

WHAT = {Kind.SESSION: "session reminders", Kind.CHECKIN: "morning check-in reminders"}


def settings_context(user: User, form: RemindersForm | None = None) -> dict[str, Any]:
    """What the Settings page's reminder card shows."""
    if form is None:
        initial = {**reminders.settings_of(user).as_dict(), "email": user.email}
        form = RemindersForm(initial=initial)
    return {"reminders_form": form, "emails_possible": bool(settings.BASE_URL)}


# The signed link is the credential: a mail client's one-click POST (RFC 8058) has no CSRF
# token, and the worst a forged POST can do is switch off the one email the link names.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """No login: GET asks to confirm, POST switches off the one kind the link was sent for."""
    try:
        if request.method == "POST":
            _, kind = reminders.unsubscribe(token)
            done = True
        else:
            _, kind = reminders.read_token(token)
            done = False
    except reminders.BadLink as exc:
        return render(request, "accounts/unsubscribe.html", {"problem": str(exc)}, status=400)
    context = {"what": WHAT[kind], "done": done}
    return render(request, "accounts/unsubscribe.html", context)
