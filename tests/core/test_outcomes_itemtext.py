"""The item text file: the shipped wording and examples load, and a file that does not fit
its instrument is refused with the field named."""

from __future__ import annotations

import json
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from kneecap.core.outcomes import (
    INSTRUMENTS,
    ItemTextError,
    TextSource,
    load_item_text,
    parse_item_text,
    shipped_item_text,
)

TEXTS = resources.files("kneecap.core.outcomes").joinpath("texts")
PLACEHOLDER = "(text supplied by the instance owner)"


def _example(instrument_id: str) -> dict[str, Any]:
    name = f"{instrument_id}.example.toml"
    return tomllib.loads(TEXTS.joinpath(name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("instrument_id", ["koos-12", "koos-pf", "kujala"])
def test_licensed_instruments_ship_only_marked_placeholders(instrument_id: str) -> None:
    text = shipped_item_text(instrument_id)
    assert text.placeholder and text.version == "placeholder"
    assert len(text.items) == len(INSTRUMENTS[instrument_id].items)
    for n, entry in enumerate(text.items, 1):
        assert entry.text == f"Item {n} {PLACEHOLDER}"
        assert all(label.endswith(PLACEHOLDER) for label in entry.options)


def test_no_licensed_wording_is_shipped() -> None:
    names = sorted(f.name for f in TEXTS.iterdir() if f.name.endswith(".toml"))
    assert names == [
        "koos-12.example.toml",
        "koos-pf.example.toml",
        "kujala.example.toml",
        "psfs.toml",
        "sane.toml",
    ]
    for inst in INSTRUMENTS.values():
        if inst.text_source is TextSource.OWNER:
            assert not TEXTS.joinpath(f"{inst.id}.toml").is_file()


def test_kneecaps_own_questions_ship_in_full() -> None:
    sane, psfs = shipped_item_text("sane"), shipped_item_text("psfs")
    assert not sane.placeholder and "percentage of normal" in sane.items[0].text
    assert sane.items[0].anchors == ("0 %: does not work at all", "100 %: fully normal")
    assert len(psfs.items) == 1 and "activities" in psfs.intro  # one prompt per named activity
    assert psfs.items[0].anchors[0].startswith("0:")


def test_an_owner_file_in_toml_or_json_loads(tmp_path: Path) -> None:
    data = _example("koos-pf") | {
        "version": "owner 2",
        "licence": "Licence no. 1",
        "placeholder": False,
    }
    (tmp_path / "koos-pf.json").write_text(json.dumps(data))
    text = load_item_text(tmp_path / "koos-pf.json")
    assert (text.instrument, text.version, text.licence, text.placeholder) == (
        "koos-pf",
        "owner 2",
        "Licence no. 1",
        False,
    )
    assert len(text.items) == 11 and len(text.items[0].options) == 5
    toml_file = tmp_path / "kujala.toml"
    toml_file.write_text(TEXTS.joinpath("kujala.example.toml").read_text(encoding="utf-8"))
    assert [len(e.options) for e in load_item_text(toml_file).items] == [
        3, 3, 4, 4, 5, 5, 4, 5, 5, 5, 5, 3, 3,
    ]  # fmt: skip


def _broken(instrument_id: str, change: Any) -> dict[str, Any]:
    data = _example(instrument_id)
    change(data)
    return data


@pytest.mark.parametrize(
    ("instrument_id", "change", "message"),
    [
        ("koos-12", lambda d: d["items"].pop(), "items: 11 given, koos-12 has 12"),
        (
            "koos-12",
            lambda d: d["items"][3]["options"].pop(),
            "items[3].options: 4 labels, the item takes answers 0–4 (5 options)",
        ),
        (
            "kujala",
            lambda d: d["items"][0]["options"].append("Option 3"),
            "items[0].options: 4 labels, the item takes answers 0–2 (3 options)",
        ),
        (
            "koos-12",
            lambda d: d["items"][4].update(key="pain-1"),
            "items[4].key: 'pain-1', but this position is 'function-1'",
        ),
        ("koos-pf", lambda d: d.pop("licence"), "licence: must be non-empty text"),
        ("koos-pf", lambda d: d.update(version="  "), "version: must be non-empty text"),
        ("koos-pf", lambda d: d.update(language="English"), "language: 'English' is not a"),
        ("koos-pf", lambda d: d.update(instrument="koos"), "instrument: no instrument 'koos'"),
        ("koos-pf", lambda d: d.update(placeholder="yes"), "placeholder: must be true or false"),
        ("koos-pf", lambda d: d.update(colour="red"), "colour: unknown field"),
        ("koos-pf", lambda d: d["items"][2].update(note="x"), "items[2].note: unknown field"),
        ("koos-pf", lambda d: d["items"][2].pop("text"), "items[2].text: must be non-empty text"),
        ("koos-pf", lambda d: d.update(items=[]), "items: must be a non-empty list of items"),
        (
            "koos-pf",
            lambda d: d["items"][1].update(options=["a", "", "c", "d", "e"]),
            "items[1].options: must be a list of non-empty texts",
        ),
        (
            "koos-pf",
            lambda d: d["items"][1].update(anchors=["a", "b"]),
            "items[1].anchors: this item has worded options; give options",
        ),
    ],
)
def test_a_file_that_does_not_fit_is_refused(instrument_id: str, change: Any, message: str) -> None:
    with pytest.raises(ItemTextError) as info:
        parse_item_text(_broken(instrument_id, change))
    assert str(info.value).startswith(message)


def test_a_number_item_takes_anchors_not_options() -> None:
    sane = {
        "instrument": "sane",
        "version": "1",
        "language": "en-GB",
        "licence": "own",
        "items": [{"text": "Rate your knee", "options": ["bad", "good"]}],
    }
    with pytest.raises(ItemTextError, match=r"items\[0\]: a number from 0 to 100 takes no options"):
        parse_item_text(sane)
    sane["items"] = [{"text": "Rate your knee", "anchors": ["0", "50", "100"]}]
    with pytest.raises(ItemTextError, match="only anchors"):
        parse_item_text(sane)
    sane["items"] = [{"text": "Rate your knee"}]
    assert parse_item_text(sane).items[0].anchors == ()


def test_a_file_that_is_not_toml_or_json_says_so(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text("instrument = ")
    with pytest.raises(ItemTextError, match="not valid TOML"):
        load_item_text(tmp_path / "a.toml")
    (tmp_path / "a.json").write_text("[1, 2")
    with pytest.raises(ItemTextError, match="not valid JSON"):
        load_item_text(tmp_path / "a.json")
    (tmp_path / "b.json").write_text("[1, 2]")
    with pytest.raises(ItemTextError, match="must hold a table"):
        load_item_text(tmp_path / "b.json")
    (tmp_path / "c.yaml").write_text("instrument: sane")
    with pytest.raises(ItemTextError, match=r"must end in \.toml or \.json, not '\.yaml'"):
        load_item_text(tmp_path / "c.yaml")
    with pytest.raises(ItemTextError, match=r"cannot read missing\.toml"):
        load_item_text(tmp_path / "missing.toml")
