"""Sentences for people, as message ids and values: the adapters translate them.

The domain explains itself ("pain 6/10 during on Tuesday 3 March, above 5"), but it must not
choose the reader's language or units. So core builds a :class:`Text`: an English message id
(the gettext ``msgid``, with ``{named}`` placeholders) and its values. Values are numbers,
dates, quantities (:class:`Metres`, :class:`Kilograms`) or other texts, and are formatted only
when the text is shown, by the :class:`Renderer` in force: the web app installs one that
follows the active Django language and the runner's units; without one, texts read in English
with metric units. Kept values (reports, plans) therefore hold texts, never rendered strings,
and one cached report serves every language.

``t("pain {pain} during on {day}, above {ceiling}", pain=..., day=..., ceiling=...)`` is the
only way core writes a sentence; ``make messages`` extracts every ``t``/``tn`` message id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Protocol, Union

from kneecap.core import units

Value = Union[str, int, float, date, "Metres", "Kilograms", "Text"]


@dataclass(frozen=True, slots=True)
class Metres:
    """A distance, shown in metres or kilometres, or yards or miles."""

    value: float


@dataclass(frozen=True, slots=True)
class Kilograms:
    """A load, shown in kilograms or pounds."""

    value: float


@dataclass(frozen=True, slots=True)
class Text:
    """A sentence or phrase: its English message id, its values, and for a count its plural."""

    msgid: str
    values: tuple[tuple[str, Value], ...] = ()
    plural: str | None = None  # the English plural; the count is the value ``n``

    def __str__(self) -> str:
        return render(self)

    def get(self, key: str) -> Value | None:
        return next((v for k, v in self.values if k == key), None)


def t(msgid: str, **values: Value) -> Text:
    """A message id with its values."""
    return Text(msgid, tuple(values.items()))


def tn(singular: str, plural: str, n: int, **values: Value) -> Text:
    """A message that depends on a count ``n`` ("{n} session" / "{n} sessions")."""
    return Text(singular, (("n", n), *values.items()), plural)


def verbatim(words: str) -> Text:
    """Words that are not translated: a name the runner gave, a custom exercise's text."""
    return Text("{words}", (("words", words),))


def joined(parts: Iterable[Text | str], sep: str = " ") -> Text:
    """Several texts shown one after the other (sentences of one explanation)."""
    items = tuple(p if isinstance(p, Text) else verbatim(p) for p in parts)
    keys = tuple(f"p{i}" for i in range(len(items)))
    msgid = sep.join("{" + k + "}" for k in keys)
    return Text(msgid, tuple(zip(keys, items, strict=True)), None)


class Renderer(Protocol):
    """How texts become words: the adapters' translation and formats."""

    def gettext(self, msgid: str) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int) -> str: ...

    def value(self, value: Value) -> str: ...


class English:
    """The default: the message ids as they are, dates as "Tuesday 3 March", and distances
    and loads in the units in force (``kneecap.core.units``; metric unless set)."""

    def gettext(self, msgid: str) -> str:
        return msgid

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return singular if n == 1 else plural

    def value(self, value: Value) -> str:
        if isinstance(value, Text):
            return render(value, self)
        if isinstance(value, date):
            return f"{_DAYS[value.weekday()]} {value.day} {_MONTHS[value.month - 1]}"
        if isinstance(value, Metres):
            return units.distance(value.value)
        if isinstance(value, Kilograms):
            return units.load(value.value)
        if isinstance(value, float):
            return number(value)
        return str(value)


_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)

_installed: list[Renderer] = [English()]


def install(r: Renderer) -> None:
    """Make ``r`` the renderer of every text from now on (the web app does, at start). It
    must find the reader's language and units itself (Django's are per request)."""
    _installed[0] = r


def render(text: Text, using: Renderer | None = None) -> str:
    """The text in the renderer's language and formats (the installed one by default)."""
    r = using or _installed[0]
    if text.plural is not None:
        template = r.ngettext(text.msgid, text.plural, int(_count(text.values)))
    elif text.msgid == "{words}":
        return str(text.values[0][1])
    else:
        template = r.gettext(text.msgid)
    values: Mapping[str, str] = {k: r.value(v) for k, v in text.values}
    try:
        return template.format_map(values)
    except (KeyError, IndexError, ValueError):  # a translation that lost a placeholder
        return text.msgid.format_map({k: English().value(v) for k, v in text.values})


def _count(values: tuple[tuple[str, Value], ...]) -> int:
    n = dict(values).get("n", 0)
    return n if isinstance(n, int) else 0


def number(x: float) -> str:
    """A number as the English default shows it: whole when it is, else one decimal."""
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}"
