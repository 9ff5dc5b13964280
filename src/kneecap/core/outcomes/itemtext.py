"""The item text file: an instrument's wording, checked against the instrument's shape.

kneecap ships the wording of its own questions (SANE-style rating, PSFS prompt) and, for the
licensed instruments, only an example whose every text is a marked placeholder. The instance's
owner supplies the real wording in the same format (TOML or JSON; docs/outcomes.md), under
their own licence. A file that does not fit the instrument is refused with the field named.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from kneecap.core.outcomes.model import Instrument, Item, TextSource
from kneecap.core.outcomes.scoring import instrument

_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
_TOP = {"instrument", "version", "language", "licence", "placeholder", "intro", "items"}
_ITEM = {"key", "text", "options", "anchors"}


class ItemTextError(ValueError):
    """An item text file that does not fit its instrument; the message names the field."""


@dataclass(frozen=True, slots=True)
class ItemTextEntry:
    text: str
    options: tuple[str, ...] = ()  # one label per answer, lowest answer first
    anchors: tuple[str, ...] = ()  # a number scale's two ends: (lowest, highest)


@dataclass(frozen=True, slots=True)
class ItemText:
    instrument: str
    version: str
    language: str
    licence: str
    items: tuple[ItemTextEntry, ...]
    intro: str = ""
    placeholder: bool = False  # example wording, not for use with runners


def load_item_text(path: Path) -> ItemText:
    """Read and check an item text file (``.toml`` or ``.json``)."""
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ItemTextError(f"cannot read {path.name}: {exc}") from None
    return parse_item_text(_decode(raw, path.suffix.lower()))


def _decode(raw: str, suffix: str) -> object:
    if suffix not in (".toml", ".json"):
        raise ItemTextError(
            f"the file name must end in .toml or .json, not {suffix or 'nothing'!r}"
        )
    try:
        return json.loads(raw) if suffix == ".json" else tomllib.loads(raw)
    except json.JSONDecodeError as exc:
        raise ItemTextError(f"not valid JSON: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ItemTextError(f"not valid TOML: {exc}") from None


def shipped_item_text(instrument_id: str) -> ItemText:
    """kneecap's own wording (sane, psfs) or the placeholder example (licensed instruments)."""
    inst = instrument(instrument_id)
    own = inst.text_source is TextSource.KNEECAP
    name = f"{inst.id}.toml" if own else f"{inst.id}.example.toml"
    texts = resources.files("kneecap.core.outcomes").joinpath("texts")
    raw = texts.joinpath(name).read_text(encoding="utf-8")
    return parse_item_text(tomllib.loads(raw))


def parse_item_text(data: object) -> ItemText:
    """Check decoded file contents against the named instrument."""
    if not isinstance(data, Mapping):
        raise ItemTextError("the file must hold a table (TOML) or an object (JSON)")
    _no_unknown(data, _TOP, "")
    try:
        inst = instrument(_text(data, "instrument"))
    except ValueError as exc:
        raise ItemTextError(f"instrument: {exc}") from None
    language = _text(data, "language")
    if not _LANGUAGE.fullmatch(language):
        raise ItemTextError(f"language: {language!r} is not a language tag such as 'en-GB'")
    return ItemText(
        instrument=inst.id,
        version=_text(data, "version"),
        language=language,
        licence=_text(data, "licence"),
        items=_items(inst, data.get("items")),
        intro=_text(data, "intro", required=False),
        placeholder=_flag(data, "placeholder"),
    )


def _items(inst: Instrument, raw: object) -> tuple[ItemTextEntry, ...]:
    if not isinstance(raw, list) or not raw:
        raise ItemTextError("items: must be a non-empty list of items")
    if len(raw) != inst.text_count:
        raise ItemTextError(f"items: {len(raw)} given, {inst.id} has {inst.text_count}")
    return tuple(_entry(inst.items[i], raw[i], f"items[{i}]") for i in range(len(raw)))


def _entry(item: Item, raw: object, where: str) -> ItemTextEntry:
    if not isinstance(raw, Mapping):
        raise ItemTextError(f"{where}: must be a table with text")
    _no_unknown(raw, _ITEM, f"{where}.")
    key = _text(raw, "key", where, required=False)
    if key and key != item.key:
        raise ItemTextError(f"{where}.key: {key!r}, but this position is {item.key!r}")
    options = _labels(raw, "options", where)
    anchors = _labels(raw, "anchors", where)
    if item.labelled:
        _check_options(item, options, anchors, where)
    elif options or len(anchors) not in (0, 2):
        raise ItemTextError(
            f"{where}: a number from {item.low} to {item.high} takes no options, "
            "only anchors = [lowest, highest]"
        )
    return ItemTextEntry(_text(raw, "text", where), options, anchors)


def _check_options(
    item: Item, options: tuple[str, ...], anchors: tuple[str, ...], where: str
) -> None:
    if anchors:
        raise ItemTextError(f"{where}.anchors: this item has worded options; give options")
    if len(options) != item.option_count:
        raise ItemTextError(
            f"{where}.options: {len(options)} labels, the item takes answers "
            f"{item.low}–{item.high} ({item.option_count} options)"
        )


def _labels(raw: Mapping[str, object], name: str, where: str) -> tuple[str, ...]:
    value = raw.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ItemTextError(f"{where}.{name}: must be a list of non-empty texts")
    return tuple(value)


def _text(raw: Mapping[str, object], name: str, where: str = "", *, required: bool = True) -> str:
    field = f"{where}.{name}" if where else name
    value = raw.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise ItemTextError(f"{field}: must be non-empty text")
    return value


def _flag(raw: Mapping[str, object], name: str) -> bool:
    value = raw.get(name, False)
    if not isinstance(value, bool):
        raise ItemTextError(f"{name}: must be true or false")
    return value


def _no_unknown(raw: Mapping[str, object], known: set[str], where: str) -> None:
    extra = sorted(str(k) for k in raw if k not in known)
    if extra:
        raise ItemTextError(f"{where}{extra[0]}: unknown field (known: {', '.join(sorted(known))})")
