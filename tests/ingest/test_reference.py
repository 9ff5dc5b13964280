"""The reference suite: every sample file kneecap ships or uses in tests, read by kneecap and
held against tests/data/reference.json (built by make_reference.py from fitdecode, the
Garmin FIT SDK, gpxpy, tcxreader and the files' own summary messages). Tolerances are in
tests/ingest/reference.py. Files only in ../shared are skipped when it is absent."""

from __future__ import annotations

import pytest

from kneecap.ingest.errors import IngestError, NotAnActivity
from kneecap.ingest.reader import read_bytes
from tests.ingest.reference import path_of, problems, reference


@pytest.mark.parametrize("name", sorted(reference()))
def test_every_reader_agrees_with_the_reference(name: str) -> None:
    path = path_of(name)
    if path is None:
        pytest.skip("only in ../shared/data, which is not present")
    outcome = reference()[name]["outcome"]
    try:
        acts = read_bytes(path.read_bytes(), name)
    except NotAnActivity:
        assert outcome == "skipped", f"{name} was skipped, the reference says {outcome}"
        return
    except IngestError as err:
        assert outcome == "error", f"{name}: {err}; the reference says {outcome}"
        return
    assert not problems(acts, name), f"{name}: {'; '.join(problems(acts, name))}"
