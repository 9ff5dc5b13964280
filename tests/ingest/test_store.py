"""Keeping originals (ingest.store) and reading ahead of the importer (ingest.parallel)."""

from __future__ import annotations

import gzip
import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from kneecap.ingest.parallel import read_ahead
from kneecap.ingest.results import FileResult
from kneecap.ingest.store import ContentStore, ImportSpace, Original, PackStore, in_use


def deflated(data: bytes) -> Original:
    """What the zip reader hands over for a deflated member."""
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return Original(data, packer.compress(data) + packer.flush(), zlib.crc32(data))


def test_a_pack_keeps_each_original_at_its_range(tmp_path: Path) -> None:
    store = PackStore(str(tmp_path))
    plain, member = b"FIT bytes " * 50, b"<gpx>track</gpx>" * 40
    first = store.keep(Original(plain), "a" * 64, "fit")
    second = store.keep(deflated(member), "b" * 64, "gpx")
    store.close()
    pack = (tmp_path / first.name).read_bytes()
    assert first.name == second.name and (first.offset, first.size) == (0, len(plain))
    assert pack[: first.size] == plain
    assert second.offset == first.size and second.offset + second.size == len(pack)
    assert gzip.decompress(pack[second.offset :]) == member  # a deflate stream made a gzip


@pytest.mark.parametrize("short", [0, 5, 14])
def test_a_short_write_is_finished(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, short: int
) -> None:
    """The system may write less than asked (a signal, a full pipe): the rest follows."""
    import os

    writev = os.writev
    monkeypatch.setattr(os, "writev", lambda fd, chunks: writev(fd, [b"".join(chunks)[:short]]))
    store = PackStore(str(tmp_path))
    member = b"<gpx>track</gpx>" * 40
    kept = store.keep(deflated(member), "b" * 64, "gpx")
    store.close()
    assert gzip.decompress((tmp_path / kept.name).read_bytes()) == member


def test_a_new_pack_after_close(tmp_path: Path) -> None:
    store = PackStore(str(tmp_path))
    one = store.keep(Original(b"x"), "a" * 64, "fit")
    store.close()
    two = store.keep(Original(b"y"), "b" * 64, "fit")
    store.close()
    assert one.name != two.name and two.offset == 0


def test_a_whole_file_is_named_by_content_and_kept_once(tmp_path: Path) -> None:
    store = ContentStore(str(tmp_path))
    kept = store.keep(deflated(b"data" * 100), "c" * 64, "tcx")
    again = store.keep(Original(b"data" * 100), "c" * 64, "tcx")
    assert kept.name == f"{'c' * 64}.tcx.gz" and kept.offset is None
    assert again.name == f"{'c' * 64}.tcx" and len(list(tmp_path.iterdir())) == 2
    assert gzip.decompress((tmp_path / kept.name).read_bytes()) == b"data" * 100


def test_an_import_holds_its_folder_while_it_runs(tmp_path: Path) -> None:
    with ImportSpace(tmp_path) as space:
        assert space.folder.parent == tmp_path / "packs" and in_use(space.folder)
    assert not in_use(space.folder)
    assert not in_use(tmp_path / "packs" / "never-locked")


def results(count: int, fail_at: int | None = None) -> Iterator[FileResult]:
    for i in range(count):
        if i == fail_at:
            raise RuntimeError("a reader broke")
        yield FileResult.skipped(f"f{i}", "test")


def test_reading_ahead_gives_every_result_in_order() -> None:
    with read_ahead(results(500), limit=16) as ahead:
        assert [r.name for r in ahead] == [f"f{i}" for i in range(500)]


def test_reading_ahead_reads_before_it_is_asked() -> None:
    seen: list[int] = []

    def counted() -> Iterator[FileResult]:
        for i in range(10):
            seen.append(i)
            yield FileResult.skipped(f"f{i}", "test")

    with read_ahead(counted()) as ahead:
        deadline = time.monotonic() + 5
        while len(seen) < 10 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(seen) == 10  # all read while the caller did something else
        assert len(list(ahead)) == 10


def test_a_reader_error_reaches_the_caller() -> None:
    with read_ahead(results(10, fail_at=5)) as ahead, pytest.raises(RuntimeError):
        list(ahead)


def test_leaving_early_stops_the_thread_and_closes_the_source() -> None:
    closed = threading.Event()

    def endless() -> Iterator[FileResult]:
        try:
            while True:
                yield FileResult.skipped("f", "test")
        finally:
            closed.set()

    with read_ahead(endless(), limit=4) as ahead:
        next(ahead)
    assert closed.wait(5)
    assert not [t for t in threading.enumerate() if t.name == "kneecap-read-ahead"]
