"""Exports of a plan for other tools: an iCalendar feed, a printable PDF, FIT workouts.

Framework-free: the web layer decides who may fetch what, these functions only turn plan
values into bytes, deterministically (time comes in as an argument).
"""

from kneecap.export.fit_workout import session_to_fit_workout
from kneecap.export.ics import plan_to_ics
from kneecap.export.pdf import plan_to_pdf

__all__ = ["plan_to_ics", "plan_to_pdf", "session_to_fit_workout"]
