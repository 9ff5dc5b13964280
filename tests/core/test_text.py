"""kneecap.core.text: sentences as message ids and values, rendered by the renderer in force."""

from __future__ import annotations

from datetime import date

from kneecap.core.text import (
    English,
    Kilograms,
    Metres,
    Text,
    install,
    joined,
    render,
    t,
    tn,
    verbatim,
)


class Shouting(English):
    """A renderer with its own "translation" and formats, as an adapter installs one."""

    def gettext(self, msgid: str) -> str:
        return {"pain {pain} during on {day}": "PAIN {pain} ON {day}"}.get(msgid, msgid)

    def value(self, value: object) -> str:  # type: ignore[override]
        if isinstance(value, date):
            return value.isoformat()
        return super().value(value)  # type: ignore[arg-type]


def test_english_by_default_with_dates_numbers_and_metric_units() -> None:
    text = t("pain {pain} during on {day}", pain="6/10", day=date(2026, 3, 3))
    assert str(text) == "pain 6/10 during on Tuesday 3 March"
    assert str(t("{d} and {w}", d=Metres(1500), w=Kilograms(2.5))) == "1.5 km and 2.5 kg"
    assert str(t("{d}", d=Metres(20))) == "20 m"


def test_plurals_nesting_joining_and_verbatim_words() -> None:
    assert str(tn("{n} session", "{n} sessions", 1)) == "1 session"
    assert str(tn("{n} session", "{n} sessions", 3)) == "3 sessions"
    inner = t("on {day}", day=date(2026, 3, 2))
    assert str(t("rested {when}", when=inner)) == "rested on Monday 2 March"
    assert str(joined([t("One."), "Two {not a field}."])) == "One. Two {not a field}."
    assert str(verbatim("{odd} name")) == "{odd} name"


def test_an_installed_renderer_translates_and_formats_every_text() -> None:
    text = t("pain {pain} during on {day}", pain="6/10", day=date(2026, 3, 3))
    install(Shouting())
    try:
        assert str(text) == "PAIN 6/10 ON 2026-03-03"
        assert render(text, English()) == "pain 6/10 during on Tuesday 3 March"
    finally:
        install(English())


def test_a_translation_that_lost_a_placeholder_falls_back_to_english() -> None:
    class Broken(English):
        def gettext(self, msgid: str) -> str:
            return "{missing}"

    assert render(t("pain {pain}", pain=3), Broken()) == "pain 3"


def test_texts_are_values_kept_in_caches() -> None:
    a, b = t("x {n}", n=1), t("x {n}", n=1)
    assert a == b and hash(a) == hash(b) and isinstance(a, Text)
