from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from kneecap.application import coaching, profile, reminders
from kneecap.core.units import Units
from kneecap.db.accounts.models import ApiToken, RunnerProfile
from kneecap.web.accounts import reminder_views
from kneecap.web.accounts.forms import (
    OwnerCreationForm,
    RemindersForm,
    SignupForm,
    TokenForm,
    UnitsForm,
)
from kneecap.web.accounts.middleware import usable_accounts
from kneecap.web.http import AuthenticatedHttpRequest
from kneecap.web.viewer import viewer

_BACKEND = "django.contrib.auth.backends.ModelBackend"


def setup(request: HttpRequest) -> HttpResponse:
    """First-run page: create the owner account. Gone once any account exists."""
    if usable_accounts().exists():
        return redirect("kc-home")
    users = get_user_model().objects
    unclaimed = users.first() if users.count() == 1 else None  # made by `kneecap import`
    form = OwnerCreationForm(request.POST or None, instance=unclaimed)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            # Re-check inside the transaction so two racing first-run posts make one owner.
            if usable_accounts().select_for_update().exists():
                return redirect("kc-login")
            user = form.save(commit=False)
            user.is_staff = True
            user.is_superuser = True
            user.save()
        login(request, user, backend=_BACKEND)
        return redirect("kc-home")
    return render(request, "accounts/setup.html", {"form": form})


def signup(request: HttpRequest) -> HttpResponse:
    if not settings.SIGNUP_OPEN:
        raise Http404("sign-up is closed on this instance")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        coach = form.cleaned_data["who"] == "coach"
        with transaction.atomic():
            user = form.save()
            if coach:
                coaching.sign_up_as_coach(user)
        login(request, user, backend=_BACKEND)
        return redirect("kc-coach-dashboard" if coach else "kc-home")
    return render(request, "accounts/signup.html", {"form": form})


@login_required
def account_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    return settings_page(request, reminder_views.settings_context(request.user))


def settings_page(
    request: AuthenticatedHttpRequest, cards: dict[str, Any], status: int = 200
) -> HttpResponse:
    """The Settings page; ``cards`` holds a card's own context (a form with its errors)."""
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    return render(
        request,
        "accounts/settings.html",
        {
            "tokens": tokens,
            "token_form": TokenForm(),
            "units_form": UnitsForm(initial={"units": viewer(request).units.value}),
            "new_token": request.session.pop("new_token", None),
            "calendar_url": request.session.pop("calendar_url", None),
            "has_feed": RunnerProfile.objects.filter(user=request.user)
            .exclude(calendar_token_hash="")
            .exists(),
            **cards,
        },
        status=status,
    )


@require_POST
@login_required
def save_reminders(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = RemindersForm(request.POST)
    if form.is_valid():
        reminders.save_settings(request.user, form.reminders(), form.cleaned_data["email"])
        messages.success(request, "Reminders saved.")
        return redirect("kc-settings")
    return settings_page(request, reminder_views.settings_context(request.user, form), status=400)


@require_POST
@login_required
def save_units(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = UnitsForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose metric or imperial units.")
        return redirect("kc-settings")
    profile.save_units(request.user, Units(form.cleaned_data["units"]))
    messages.success(request, "Units saved.")
    return redirect("kc-settings")


@require_POST
@login_required
def create_token(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if form.is_valid():
        _, token = ApiToken.issue(request.user, form.cleaned_data["name"])
        request.session["new_token"] = token  # shown once, on the next page only
        messages.success(request, "Token created. Copy it now: it will not be shown again.")
    else:
        messages.error(request, "A token needs a name of at most 80 characters.")
    return redirect("kc-settings")


@require_POST
@login_required
def revoke_token(request: AuthenticatedHttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    token.delete()
    messages.success(request, f"Token “{token.name}” revoked.")
    return redirect("kc-settings")


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
