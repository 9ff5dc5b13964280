"""The sets list written in Python matches the template it replaced, for every kind of set."""

from __future__ import annotations

from django.template import Context, Template

from kneecap.db.training.models import SetLog
from kneecap.web.templatetags.log_sets import set_list

# The partial as it was written in the template language (training/_sets.html before).
TEMPLATE = Template(
    '<ol class="sets">{% for s in sets %}<li>{% if s.side %}{{ s.side }}: {% endif %}'
    "{% if s.reps is not None %}{{ s.reps }} reps{% endif %}"
    "{% if s.hold_s %} · {{ s.hold_s|floatformat }} s hold{% endif %}"
    "{% if s.distance_m %}{{ s.distance_m|floatformat:0 }} m{% endif %}"
    "{% if s.duration_s and s.reps is None %}{{ s.duration_s|floatformat:0 }} s{% endif %}"
    "{% if s.load_kg %} · {{ s.load_kg|floatformat }} kg{% endif %}</li>{% endfor %}</ol>"
)
SETS = [
    SetLog(reps=10),
    SetLog(reps=0),
    SetLog(reps=8, hold_s=3.0, side="left"),
    SetLog(reps=8, hold_s=2.5, side="right", load_kg=12.25),
    SetLog(hold_s=20.0),
    SetLog(distance_m=100.0),
    SetLog(distance_m=99.6, duration_s=41.2),
    SetLog(duration_s=45.0),
    SetLog(reps=5, duration_s=30.0),
    SetLog(side="<b>", load_kg=0.0),
    SetLog(),
]


def test_the_sets_list_is_the_markup_the_template_wrote() -> None:
    assert set_list(SETS) == TEMPLATE.render(Context({"sets": SETS}))


def test_no_sets_is_an_empty_list() -> None:
    assert set_list([]) == '<ol class="sets"></ol>'
