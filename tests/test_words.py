"""Rule 40: no sentence a person reads promises prevention or treatment, or a risk number.

Searched: the README, the docs, the catalog's exercise texts, the page templates and the
messages of core and the web app. The evidence brief's own citations in docs/outcomes.md name
studies of treatment; they are quotations of titles, listed below as the only exceptions.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SOURCES = [
    REPO / "README.md",
    *sorted((REPO / "docs").glob("*.md")),
    *sorted((REPO / "src/kneecap/data").rglob("*.toml")),
    *sorted((REPO / "src/kneecap/web/templates").rglob("*.html")),
    *sorted((REPO / "src/kneecap/core").rglob("*.py")),
    *sorted((REPO / "src/kneecap/web").rglob("*.py")),
    *sorted((REPO / "src/kneecap/application").rglob("*.py")),
]
PROMISES = re.compile(
    r"\b(prevents?|preventing|prevention of|bulletproof|injury[- ]proof|injury[- ]free"
    r"|keeps? (your|runners'|the) knees? (healthy|strong|safe)|protects? (your|the) knees?"
    r"|(cures?|heals?|fixes) (your |the )?knee|treats? (your |the )?knee"
    r"|(lowers?|reduces?|cuts?) (your |the )?(injury )?risk|risk of injury is"
    r"|\d+ ?% (less|lower) risk)",
    re.IGNORECASE,
)
# What a sentence may say about a check kneecap makes, only where it makes it.
CLAIMED_CHECKS = re.compile(r"kneecap compares each session with", re.IGNORECASE)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(REPO)))
def test_no_sentence_promises_prevention_or_treatment(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = [m.group(0) for m in PROMISES.finditer(text)]
    assert not found, f"{path.name}: {found}"
    assert not CLAIMED_CHECKS.search(text), f"{path.name} claims a check kneecap does not make"
