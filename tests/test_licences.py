"""kneecap is AGPL-3.0-or-later: the licence text is at the root, and everything it installs to
run (its ``[project.dependencies]`` and what they pull in, read from the installed metadata)
has a licence that may be combined with it. Test-only references, such as the Garmin FIT SDK,
stay out of the runtime dependencies.

A package whose licence this test cannot classify fails it by name, so that a person looks.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]

# SPDX ids whose code an AGPL-3.0-or-later program may use and convey with it: permissive
# licences (Apache-2.0 included: GPLv3 resolved its patent clause), weak copylefts that
# allow it (LGPL 2.1 and 3, MPL-2.0 unless marked incompatible with secondary licences), and
# the GPL family from version 3 on (GPL-2.0 only with "or later"). GPL-2.0-only, MPL-1.1,
# EPL, CDDL, the 4-clause BSD and anything proprietary are not here.
COMPATIBLE = frozenset(
    {
        "0BSD",
        "MIT",
        "MIT-0",
        "MIT-CMU",
        "HPND",
        "BSD-2-Clause",
        "BSD-3-Clause",
        "ISC",
        "Zlib",
        "Unlicense",
        "CC0-1.0",
        "Apache-2.0",
        "PSF-2.0",
        "Python-2.0",
        "MPL-2.0",
        "LGPL-2.1-only",
        "LGPL-2.1-or-later",
        "LGPL-3.0-only",
        "LGPL-3.0-or-later",
        "GPL-2.0-or-later",
        "GPL-3.0-only",
        "GPL-3.0-or-later",
        "AGPL-3.0-only",
        "AGPL-3.0-or-later",
        # deprecated SPDX spellings of the same licences
        "GPL-2.0+",
        "GPL-3.0",
        "GPL-3.0+",
        "LGPL-2.1",
        "LGPL-2.1+",
        "LGPL-3.0",
        "LGPL-3.0+",
        "AGPL-3.0",
    }
)

# Older metadata: trove classifiers and free-text License fields, mapped to SPDX only where
# the words are unambiguous about compatibility. "BSD License" names the 2- or 3-clause
# licence in practice (both compatible); a package under the 4-clause one must say so.
CLASSIFIERS = {
    "MIT License": "MIT",
    "BSD License": "BSD-3-Clause",
    "Apache Software License": "Apache-2.0",
    "ISC License (ISCL)": "ISC",
    "Python Software Foundation License": "PSF-2.0",
    "zlib/libpng License": "Zlib",
    "The Unlicense (Unlicense)": "Unlicense",
    "Mozilla Public License 2.0 (MPL 2.0)": "MPL-2.0",
    "GNU Lesser General Public License v2 or later (LGPLv2+)": "LGPL-2.1-or-later",
    "GNU Lesser General Public License v3 (LGPLv3)": "LGPL-3.0-only",
    "GNU Lesser General Public License v3 or later (LGPLv3+)": "LGPL-3.0-or-later",
    "GNU General Public License v3 (GPLv3)": "GPL-3.0-only",
    "GNU General Public License v3 or later (GPLv3+)": "GPL-3.0-or-later",
    "GNU Affero General Public License v3": "AGPL-3.0-only",
    "GNU Affero General Public License v3 or later (AGPLv3+)": "AGPL-3.0-or-later",
}
LICENSE_WORDS = {"PSFL": "PSF-2.0", "ISC License": "ISC", "Apache License 2.0": "Apache-2.0"}

# Readers and SDKs the tests compare kneecap against; none may be needed to run it.
TEST_ONLY = ("garmin-fit-sdk", "fitdecode", "gpxpy", "tcxreader", "hypothesis", "playwright")


def _applies(req: Requirement, extras: frozenset[str]) -> bool:
    if req.marker is None:
        return True
    return any(req.marker.evaluate({"extra": e}) for e in extras | {""})


def runtime_closure() -> dict[str, metadata.Distribution | None]:
    """Every distribution kneecap needs to run, by canonical name (``None``: not installed)."""
    found: dict[str, metadata.Distribution | None] = {}
    seen: set[tuple[str, frozenset[str]]] = set()
    todo = [Requirement(r) for r in PROJECT["dependencies"]]
    todo = [r for r in todo if _applies(r, frozenset())]
    while todo:
        req = todo.pop()
        name, extras = canonicalize_name(req.name), frozenset(req.extras)
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            found[name] = None
            continue
        found[name] = dist
        needs = (Requirement(r) for r in dist.requires or ())
        todo.extend(r for r in needs if _applies(r, extras))
    return found


def spdx_of(dist: metadata.Distribution) -> str | None:
    """The distribution's licence as an SPDX expression, or ``None`` when it cannot tell."""
    meta = dist.metadata
    for field in ("License-Expression", "License"):
        text = _field(dist, field).strip()
        if not text or "\n" in text:  # a whole licence text pasted in: look elsewhere
            continue
        if text in LICENSE_WORDS:
            return LICENSE_WORDS[text]
        try:
            return canonicalize_license_expression(text)
        except InvalidLicenseExpression:
            continue
    named = [c.rsplit(" :: ", 1)[-1] for c in meta.get_all("Classifier") or [] if _licence(c)]
    known = [CLASSIFIERS[n] for n in named if n in CLASSIFIERS]
    if not known or len(known) < len(named):
        return None
    return " AND ".join(known)  # several classifiers: read them as all applying


def _field(dist: metadata.Distribution, name: str) -> str:
    return next(iter(dist.metadata.get_all(name) or ()), "")


def _licence(classifier: str) -> bool:
    return classifier.startswith("License ::") and classifier.count(" :: ") >= 2


def compatible(expression: str) -> bool:
    """Whether an SPDX expression lets kneecap use the code: OR needs one compatible side,
    AND needs both; an exception (WITH) only adds permissions, so the licence decides."""
    tokens = re.findall(r"\(|\)|[^\s()]+", expression)

    def either(i: int) -> tuple[bool, int]:
        ok, i = both(i)
        while i < len(tokens) and tokens[i] == "OR":
            other, i = both(i + 1)
            ok = ok or other
        return ok, i

    def both(i: int) -> tuple[bool, int]:
        ok, i = term(i)
        while i < len(tokens) and tokens[i] == "AND":
            other, i = term(i + 1)
            ok = ok and other
        return ok, i

    def term(i: int) -> tuple[bool, int]:
        if tokens[i] == "(":
            ok, i = either(i + 1)
            return ok, i + 1
        ok = tokens[i] in COMPATIBLE
        return ok, i + 3 if i + 1 < len(tokens) and tokens[i + 1] == "WITH" else i + 1

    ok, end = either(0)
    assert end == len(tokens), f"unparsed licence expression {expression!r}"
    return ok


CLOSURE = runtime_closure()


def test_every_runtime_dependency_is_installed() -> None:
    missing = sorted(name for name, dist in CLOSURE.items() if dist is None)
    assert not missing, f"runtime dependencies not installed, so not checked: {missing}"
    assert {"django", "reportlab", "psycopg", "psycopg-binary", "typer"} <= set(CLOSURE)


def test_every_runtime_licence_is_classified() -> None:
    unknown = {
        name: {
            "license": _field(dist, "License")[:80],
            "expression": _field(dist, "License-Expression"),
            "classifiers": [c for c in dist.metadata.get_all("Classifier") or [] if _licence(c)],
        }
        for name, dist in CLOSURE.items()
        if dist is not None and spdx_of(dist) is None
    }
    assert not unknown, f"licence not recognised, a person must look: {unknown}"


def test_every_runtime_licence_may_be_combined_with_agpl_3() -> None:
    licences = {name: spdx_of(dist) for name, dist in CLOSURE.items() if dist is not None}
    conflicting = {n: spdx for n, spdx in licences.items() if spdx and not compatible(spdx)}
    assert not conflicting, f"licences that conflict with AGPL-3.0-or-later: {conflicting}"
    assert licences["reportlab"] == "BSD-3-Clause"  # through its classifier
    assert licences["defusedxml"] == "PSF-2.0"  # through its free-text field


def test_test_only_references_stay_out_of_the_runtime() -> None:
    dev = {canonicalize_name(Requirement(r).name) for r in PROJECT["optional-dependencies"]["dev"]}
    assert set(TEST_ONLY) <= dev  # they are still used, by the tests
    assert not set(TEST_ONLY) & set(CLOSURE), "a test-only package is needed to run kneecap"


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("MIT", True),
        ("LGPL-3.0-only", True),
        ("GPL-2.0-only", False),
        ("MIT OR GPL-2.0-only", True),
        ("MIT AND GPL-2.0-only", False),
        ("(Apache-2.0 OR BSD-3-Clause) AND MIT", True),
        ("(GPL-2.0-only OR EPL-2.0) AND MIT", False),
        ("GPL-2.0-or-later WITH Classpath-exception-2.0", True),
        ("MPL-2.0-no-copyleft-exception", False),
        ("LicenseRef-Proprietary", False),
    ],
)
def test_the_compatibility_rule(expression: str, expected: bool) -> None:
    assert compatible(expression) is expected


def test_the_licence_file_is_the_agpl_3_text() -> None:
    text = (REPO / "LICENSE").read_bytes()
    assert text.startswith(b"                    GNU AFFERO GENERAL PUBLIC LICENSE\n")
    assert b"Version 3, 19 November 2007" in text[:200]
    # The FSF's agpl-3.0.txt, unchanged.
    digest = "0d96a4ff68ad6d4b6f1f30f713b18d5184912ba8dd389f86aa7710db079abcb0"
    assert hashlib.sha256(text).hexdigest() == digest
    assert PROJECT["license"] == "AGPL-3.0-or-later"
