"""The printable plan in the reader's units (issue 19.3)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from reportlab.platypus import Paragraph

from kneecap.core import units
from kneecap.core.catalog import Catalog
from kneecap.core.units import Units
from kneecap.export import pdf
from tests.export.builders import STATIC, item, plan_of, session_of


def _texts(flowable: Any) -> Iterator[str]:
    """Every paragraph's text in the printed story (tables and kept groups opened); the
    page contents are in a subset font, so the bytes do not hold the words."""
    if isinstance(flowable, Paragraph):
        yield flowable.text
    for inner in getattr(flowable, "_cellvalues", None) or ():
        yield from _texts(inner)
    if isinstance(flowable, list | tuple):
        for inner in flowable:
            yield from _texts(inner)
    content = getattr(flowable, "_content", None)
    if content:
        yield from _texts(content)


def test_the_doses_print_in_the_units_in_force(catalog: Catalog) -> None:
    pdf._register_fonts()  # the story's styles name the fonts
    plan = plan_of(session_of(item(catalog, "walking-backward", "flat")))  # 5 × 100 m
    metric = " ".join(_texts(pdf._story(plan, catalog, "plan", STATIC)))
    with units.using(Units.IMPERIAL):
        imperial = " ".join(_texts(pdf._story(plan, catalog, "plan", STATIC)))
        assert pdf.plan_to_pdf(plan, catalog, title="plan", static_root=STATIC)
    assert "5 × 100 m" in metric and " yd" not in metric
    assert "5 × 109 yd" in imperial and "5 × 100 m" not in imperial
