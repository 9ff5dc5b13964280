"""Bounded fuzzing of the readers on mutated real and generated files (issue 9 §1).

The readers are called directly, not through ``read_bytes`` whose last guard would hide a
slip: any exception other than an ``IngestError`` fails the test, as does a slow read.
"""

from __future__ import annotations

import gzip
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kneecap.core.activity import Activity
from kneecap.ingest.errors import IngestError
from kneecap.ingest.fit import read_fit
from kneecap.ingest.gpx import read_gpx
from kneecap.ingest.reader import read_bytes
from kneecap.ingest.tcx import read_tcx
from tests.ingest import fitwriter as fw
from tests.ingest.test_xml import gpx, tcx

DATA = Path(__file__).resolve().parents[1] / "data"
Reader = Callable[[bytes, str, str], list[Activity]]

SEEDS: dict[str, list[bytes]] = {
    "fit": [
        fw.activity(points=12),
        fw.activity(points=8, sessions=[(2, 0, 10.0), (1, 4, 9.0)], big_endian=True),
        (DATA / "fitparse__activity-settings.fit").read_bytes(),
        (DATA / "fittool__activity_truncated.fit").read_bytes(),
    ],
    "gpx": [gpx(points=12), (DATA / "togeojson__missing_hr.gpx").read_bytes()],
    "tcx": [tcx(laps=1), (DATA / "togeojson__tcx-courses.tcx").read_bytes()[:4000]],
}
READERS: dict[str, Reader] = {"fit": read_fit, "gpx": read_gpx, "tcx": read_tcx}


@st.composite
def mutated(draw: st.DrawFn, kind: str) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS[kind])))
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "set", "cut", "insert", "delete"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if op == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "set" and data:
            data[at] = draw(
                st.sampled_from([0x00, 0xFF, 0x7F, 0x80, 0x40, 0x20, ord("<"), ord("&")])
            )
        elif op == "cut":
            del data[at:]
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif data:
            del data[at : at + draw(st.integers(1, 16))]
    if kind == "fit" and len(data) > 16 and draw(st.booleans()):
        return refit(bytes(data[14:-2]))  # valid checksums: the message walker sees the damage
    return bytes(data)


def refit(body: bytes) -> bytes:
    """A FIT file around ``body`` with correct sizes and checksums."""
    builder = fw.FitBuilder()
    builder.body = bytearray(body)
    return builder.build()


def read_or_refuse(reader: Reader, data: bytes) -> None:
    started = time.perf_counter()
    try:
        result = reader(data, "fuzz", "")
    except IngestError:
        pass
    else:
        assert all(isinstance(a, Activity) for a in result)
    assert time.perf_counter() - started < 2.0


@pytest.mark.parametrize("kind", sorted(READERS))
def test_mutated_files_are_read_or_refused_cleanly(kind: str) -> None:
    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(mutated(kind))
    def run(data: bytes) -> None:
        read_or_refuse(READERS[kind], data)

    run()


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["fit", "gpx", "tcx"]).flatmap(mutated))
def test_mutated_gzipped_files_are_read_or_refused_cleanly(data: bytes) -> None:
    packed = gzip.compress(data)
    cut = packed[: len(packed) // 2] if len(data) % 2 else packed
    read_or_refuse(lambda blob, name, _sha: read_bytes(blob, name), cut)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=600))
def test_random_bytes_after_a_fit_header_are_refused_cleanly(tail: bytes) -> None:
    header = fw.activity(points=2)[:14]
    read_or_refuse(read_fit, header + tail)
