"""The rows of the long lists (runs, history), written in Python.

A page shows 30-50 items with several fields each; through template tags (a ``{% url %}`` and
a dozen conditions per item) that was most of the request's time. These write the same
markup from the kept page values, escaping every part.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from html import escape  # the standard library's: Django's wraps every call for lazy strings

from django import template
from django.template.defaultfilters import date as date_format
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from kneecap.application.log import HistoryPage
from kneecap.application.runs import RunRow
from kneecap.core import log as core
from kneecap.web.templatetags.log_sets import number, set_list
from kneecap.web.templatetags.words import distance, label

register = template.Library()


@register.simple_tag
def run_rows(rows: Iterable[RunRow], suffix: str = "") -> SafeString:
    """``<tr>`` per run; ``suffix`` is the coach's ``?athlete=`` on each link."""
    base = _run_stem()
    out = []
    for r in rows:
        sport = escape(r.sport) + (f" · {escape(r.kind)}" if r.kind else "")
        far = distance(r.distance_m) if r.distance_m else ""
        minutes = f"{round(r.elapsed_s / 60)} min" if r.elapsed_s else ""
        out.append(
            f'<tr><td><a href="{base}{r.pk}/{escape(suffix)}">{r.day.isoformat()}</a></td>'
            f"<td>{sport}</td><td>{far}</td><td>{minutes}</td>"
            f"<td>{r.avg_hr if r.avg_hr else ''}</td><td>{escape(r.source)}</td></tr>"
        )
    if not out:
        out.append('<tr><td colspan="6">No runs yet.</td></tr>')
    return mark_safe("".join(out))  # noqa: S308 (every part is escaped)


@functools.cache
def _run_stem() -> str:
    return reverse("kc-run", args=[0])[:-2]  # "/runs/" + pk + "/"


@register.simple_tag
def history_list(page: HistoryPage, names: Mapping[str, str], suffix: str = "") -> SafeString:
    """The page's sessions, newest first, each under the morning check-ins that followed it."""
    out = [_checkin(c) for c in page.top]
    for pk, session in page.listing.rows:
        out += [_checkin(c) for c in page.beside.get(session.date, ())]
        out.append(history_card(pk, session, names, suffix))
    if not page.listing.rows:
        out.append("<p>No session logged yet.</p>")
    return mark_safe("".join(out))  # noqa: S308 (every part is escaped)


def _checkin(c: core.Checkin) -> str:
    where = f" ({escape(c.pain_location)})" if c.pain_location else ""
    stiff = f" · stiffness {c.stiffness}/10" if c.stiffness is not None else ""
    swollen = " · <strong>swollen</strong>" if c.swelling else ""
    return (
        f'<article class="card checkin-row"><h2>{date_format(c.date, "l j F Y")} '
        f"<small>morning check-in</small></h2>\n"
        f"  <p>Knee pain {c.pain}/10{where}{stiff}{swollen}</p></article>"
    )


def history_card(pk: int, s: core.SessionLog, names: Mapping[str, str], suffix: str = "") -> str:
    """A logged session's ``<article>``: its exercises, ratings and sets."""
    tail = escape(suffix)
    session_stem, exercise_stem = _stems()
    after = (
        f' <span class="tag">pain after {s.pain_after}/10</span>'
        if s.pain_after is not None
        else ""
    )
    items = []
    for e in s.exercises:
        name = escape(names.get(e.exercise, e.exercise))
        pain = f" · pain {e.pain_during}/10" if e.pain_during is not None else ""
        rpe = f" · RPE {number(e.rpe)}" if e.rpe is not None else ""
        items.append(
            f'<li><a href="{exercise_stem}{escape(e.exercise)}/{tail}">{name}</a>'
            f" · {escape(label(e.level))}{pain}{rpe}{set_list(e.sets)}</li>"
        )
    return (
        f'<article class="card"><h2><a href="{session_stem}{pk}/{tail}">'
        f"{date_format(s.date, 'l j F Y')}</a>{after}</h2><ul>{''.join(items)}</ul></article>"
    )


@functools.cache
def _stems() -> tuple[str, str]:
    """The links' stems ("/sessions/" + pk + "/"), reversed once per process."""
    session = reverse("kc-session", args=[0])[:-2]
    return session, reverse("kc-exercise-history", args=["x"])[:-2]
