from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from kneecap.application import coaching as services
from kneecap.application import safety
from kneecap.application.access import athlete_for, athletes_of
from kneecap.application.athletes import summarize
from kneecap.application.rules import RunnerSetting, runner_view
from kneecap.core.rules import RulesError
from kneecap.db.accounts.models import CoachLink
from kneecap.db.training.models import CoachNote
from kneecap.web import audit
from kneecap.web.http import AuthenticatedHttpRequest, back_to


class InviteForm(forms.Form):
    username = forms.CharField(max_length=150)
    direction = forms.ChoiceField(
        choices=[("coach-me", "to coach me"), ("i-coach", "to let me coach them")],
        widget=forms.RadioSelect,
        initial="coach-me",
    )
    role = forms.ChoiceField(choices=CoachLink.Role.choices, initial="coach")


@login_required
def links(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.invite(
            request.user,
            form.cleaned_data["username"],
            as_coach=form.cleaned_data["direction"] == "i-coach",
            role=form.cleaned_data["role"],
        )
        messages.success(request, "If that account exists, it now has your invitation.")
        return redirect("kc-coaching")
    return render(
        request,
        "coaching/links.html",
        {"form": form, "links": services.links_of(request.user)},
    )


@require_POST
@login_required
def accept(request: AuthenticatedHttpRequest, link_id: int) -> HttpResponse:
    try:
        services.accept(request.user, link_id)
    except CoachLink.DoesNotExist:
        raise Http404 from None
    messages.success(request, "Link accepted.")
    return redirect(back_to(request, "kc-coaching"))


@require_POST
@login_required
def revoke(request: AuthenticatedHttpRequest, link_id: int) -> HttpResponse:
    try:
        services.revoke(request.user, link_id)
    except CoachLink.DoesNotExist:
        raise Http404 from None
    messages.success(request, "Link ended. It no longer gives any access.")
    return redirect(back_to(request, "kc-coaching"))


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    cards = [(a, summarize(a, today)) for a in athletes_of(request.user)]
    invitations = services.invitations_for(request.user)
    return render(request, "coaching/dashboard.html", {"cards": cards, "invitations": invitations})


class ClearForm(forms.Form):
    scope = forms.CharField(max_length=120)
    note = forms.CharField(max_length=500, label="Why (recorded with the clearance)")


@require_POST
@login_required
def clear(request: AuthenticatedHttpRequest, athlete_id: int) -> HttpResponse:
    """A linked coach or physio clears a pause for an athlete, with a note that is kept."""
    athlete = athlete_for(request.user, athlete_id)
    if athlete == request.user:
        raise Http404
    form = ClearForm(request.POST)
    if not form.is_valid():
        messages.error(request, "A clearance needs a note saying why.")
        return redirect("kc-coach-dashboard")
    try:
        safety.clear(athlete, request.user, form.cleaned_data["scope"], form.cleaned_data["note"])
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Cleared for {athlete.get_username()}; your note is kept.")
    return redirect("kc-coach-dashboard")


class NoteForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


@require_POST
@login_required
def add_note(request: AuthenticatedHttpRequest, athlete_id: int) -> HttpResponse:
    athlete = athlete_for(request.user, athlete_id)
    if athlete == request.user:
        raise Http404
    form = NoteForm(request.POST)
    if form.is_valid():
        CoachNote.objects.create(
            athlete=athlete, author=request.user, text=form.cleaned_data["text"]
        )
        messages.success(request, f"Note left for {athlete.get_username()}.")
    else:
        messages.error(request, "A note needs text (at most 2,000 characters).")
    return redirect("kc-coach-dashboard")


def _rules_form(shown: list[RunnerSetting], data: Any = None) -> forms.Form:
    """One field per setting; blank means the instance's value."""
    form = forms.Form(data)
    for s in shown:
        lo, hi = s.setting.lo, s.setting.hi
        field: forms.Field = (
            forms.IntegerField(min_value=int(lo), max_value=int(hi))
            if isinstance(s.instance, int)
            else forms.FloatField(
                min_value=lo, max_value=hi, widget=forms.NumberInput({"step": "any"})
            )
        )
        field.required = False
        field.label = f"{s.setting.meaning.capitalize()} (rule {s.setting.rules})"
        field.help_text = f"blank: this instance's {s.instance:g}"
        field.initial = s.value if s.own else None
        form.fields[s.key] = field
    return form


@login_required
def rules(request: AuthenticatedHttpRequest, athlete_id: int) -> HttpResponse:
    """The numbers a linked coach or physio sets for one athlete: the pain ceiling, the
    green ceiling, the progression steps and the deload share (issue 14 §6)."""
    athlete = athlete_for(request.user, athlete_id)
    if athlete == request.user:
        raise Http404
    shown = runner_view(athlete)
    form = _rules_form(shown, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_rules(athlete, form.cleaned_data)
        except RulesError as exc:
            form.add_error(exc.key if exc.key in form.fields else None, exc.problem)
        else:
            keys = ",".join(k for k, v in form.cleaned_data.items() if v is not None)
            audit.record("runner-rules", request, request.user.pk, athlete=athlete.pk, keys=keys)
            messages.success(request, f"Saved: {athlete.get_username()}'s numbers are in force.")
            return redirect("kc-coach-rules", athlete_id=athlete.pk)
    return render(
        request, "coaching/rules.html", {"athlete": athlete, "form": form, "shown": shown}
    )
