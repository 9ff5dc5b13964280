"""Archives and folders: Strava and Garmin exports, and every way an archive can be hostile."""

from __future__ import annotations

import csv
import gzip
import io
import os
import tempfile
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from kneecap.ingest.archive import _read_member, iter_archive, iter_paths
from kneecap.ingest.errors import CorruptFile
from kneecap.ingest.limits import Limits
from kneecap.ingest.parallel import iter_parallel
from kneecap.ingest.results import FileResult, Status
from tests.ingest import fitwriter as fw
from tests.ingest.test_xml import gpx, tcx

DAY = 86_400


def by_name(results: list[FileResult]) -> dict[str, FileResult]:
    return {r.name.rsplit("/", 1)[-1]: r for r in results}


def strava_zip(path: Path, extra: dict[str, bytes] | None = None) -> Path:
    files = {
        "activities/1.fit.gz": gzip.compress(fw.activity(1_700_000_000)),
        "activities/2.gpx.gz": gzip.compress(gpx()),
        "activities/3.tcx.gz": gzip.compress(tcx()),
        "activities/4.fit": fw.activity(1_700_000_000 + DAY, file_type=2),
        "media/photo.jpg": b"\xff\xd8\xff",
    }
    table = io.StringIO()
    writer = csv.writer(table)
    writer.writerow(["Activity ID", "Activity Date", "Activity Name", "Activity Type",
                     "Elapsed Time", "Filename", "Elapsed Time"])  # fmt: skip
    writer.writerow([1, "", "Morning trail", "TrailRun", "1", "activities/1.fit.gz", "1"])
    writer.writerow([2, "", "Hill repeats", "Run", "1", "activities/2.gpx.gz", "1"])
    writer.writerow([3, "", "Spin class", "VirtualRide", "1", "activities/3.tcx.gz", "1"])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("activities.csv", table.getvalue())
        for name, data in {**files, **(extra or {})}.items():
            archive.writestr(name, data)
    return path


def test_a_strava_export_takes_names_and_types_from_its_csv(tmp_path: Path) -> None:
    results = by_name(list(iter_archive(strava_zip(tmp_path / "export.zip"))))
    assert set(results) == {"1.fit.gz", "2.gpx.gz", "3.tcx.gz", "4.fit", "photo.jpg"}
    fit, gpx_run, spin = (results[n].activities[0] for n in ("1.fit.gz", "2.gpx.gz", "3.tcx.gz"))
    assert (fit.name, fit.sport, fit.sub_sport) == ("Morning trail", "running", "trail")
    assert (gpx_run.name, spin.sport) == ("Hill repeats", "cycling")
    assert results["4.fit"].status is Status.SKIPPED and "settings" in results["4.fit"].message
    assert results["photo.jpg"].status is Status.SKIPPED


def test_an_unpacked_strava_export_folder_reads_the_same(tmp_path: Path) -> None:
    export = strava_zip(tmp_path / "export.zip")
    with zipfile.ZipFile(export) as archive:
        archive.extractall(tmp_path / "folder")
    packed = by_name(list(iter_archive(export)))
    unpacked = by_name(list(iter_archive(tmp_path / "folder")))
    assert {k: (v.status, [a.name for a in v.activities]) for k, v in packed.items()} == {
        k: (v.status, [a.name for a in v.activities]) for k, v in unpacked.items()
    }


def test_a_garmin_export_of_nested_zips_is_read(tmp_path: Path) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        for i in range(3):
            archive.writestr(f"{i}_ACTIVITY.fit", fw.activity(1_700_000_000 + i * DAY))
    with zipfile.ZipFile(tmp_path / "garmin.zip", "w") as outer:
        outer.writestr("DI_CONNECT/DI-Connect-Fitness/summary.json", b"{}")
        outer.writestr("DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0.zip", inner.getvalue())
    results = list(iter_archive(tmp_path / "garmin.zip"))
    assert [r.status for r in results] == [Status.SKIPPED, Status.OK, Status.OK, Status.OK]
    assert results[1].name.endswith("UploadedFiles_0.zip/0_ACTIVITY.fit")


def test_a_damaged_file_is_reported_and_the_others_are_still_read(tmp_path: Path) -> None:
    broken = bytearray(fw.activity(1_700_000_000))
    broken[50] ^= 0xFF
    results = by_name(
        list(iter_archive(strava_zip(tmp_path / "e.zip", {"bad.fit": bytes(broken)})))
    )
    assert results["bad.fit"].status is Status.ERROR and "checksum" in results["bad.fit"].message
    assert sum(r.status is Status.OK for r in results.values()) == 3


def test_zip_slip_names_are_refused_and_nothing_is_written(tmp_path: Path) -> None:
    evil = {"../../escape.fit": fw.activity(1_700_000_000), "/abs/path.fit": b"x"}
    results = list(iter_archive(strava_zip(tmp_path / "e.zip", evil)))
    refused = [r for r in results if "unsafe path" in r.message]
    assert len(refused) == 2 and all(r.status is Status.ERROR for r in refused)
    assert not (tmp_path.parent / "escape.fit").exists()


def test_a_symbolic_link_inside_a_zip_is_refused(tmp_path: Path) -> None:
    link = zipfile.ZipInfo("activities/link.fit")
    link.external_attr = 0o120777 << 16
    with zipfile.ZipFile(tmp_path / "l.zip", "w") as archive:
        archive.writestr(link, "/etc/passwd")
    (result,) = iter_archive(tmp_path / "l.zip")
    assert result.status is Status.ERROR and "symbolic link" in result.message


def test_symbolic_links_in_a_folder_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.fit").write_bytes(fw.activity(1_700_000_000))
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "run.fit").write_bytes(fw.activity(1_700_000_000 + DAY))
    os.symlink(outside / "secret.fit", folder / "link.fit")
    os.symlink(outside, folder / "linked-dir")
    results = by_name(list(iter_archive(folder)))
    assert results["run.fit"].status is Status.OK
    assert (
        results["link.fit"].status is Status.ERROR and results["linked-dir"].status is Status.ERROR
    )


def test_a_zip_bomb_entry_is_refused_by_its_ratio(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.fit", bytes(20 * 1024 * 1024))
        archive.writestr("run.fit", fw.activity(1_700_000_000))
    results = by_name(list(iter_archive(tmp_path / "bomb.zip")))
    assert "zip bomb" in results["bomb.fit"].message and results["run.fit"].status is Status.OK


def test_a_gzip_bomb_inside_an_archive_stops_at_the_file_limit(tmp_path: Path) -> None:
    limits = Limits(max_file_bytes=1024 * 1024)
    with zipfile.ZipFile(tmp_path / "g.zip", "w") as archive:
        archive.writestr("bomb.fit.gz", gzip.compress(bytes(8 * 1024 * 1024)))
    (result,) = iter_archive(tmp_path / "g.zip", limits)
    assert result.status is Status.ERROR and "decompresses to more than" in result.message


def test_an_archive_expanding_past_the_total_limit_stops_with_an_error(tmp_path: Path) -> None:
    limits = Limits(max_total_bytes=len(fw.activity()) * 3)
    with zipfile.ZipFile(tmp_path / "t.zip", "w") as archive:
        for i in range(10):
            archive.writestr(f"{i}.fit", fw.activity(1_700_000_000 + i * DAY))
    results = list(iter_archive(tmp_path / "t.zip", limits))
    assert [r.status for r in results] == [Status.OK] * 3 + [Status.ERROR]
    assert "expands to more than" in results[-1].message


def test_an_archive_of_a_hundred_thousand_entries_is_refused_quickly(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "many.zip", "w") as archive:
        for i in range(100_000):
            archive.writestr(f"{i}.fit", b"")
    started = time.perf_counter()
    (result,) = iter_archive(tmp_path / "many.zip")
    assert result.status is Status.ERROR and "more than 50,000 entries" in result.message
    assert time.perf_counter() - started < 1.0


def test_zips_nested_too_deep_are_refused(tmp_path: Path) -> None:
    data = fw.activity(1_700_000_000)
    name = "run.fit"
    for level in range(5):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr(name, data)
        data, name = buffer.getvalue(), f"level{level}.zip"
    (tmp_path / "deep.zip").write_bytes(data)
    (result,) = iter_archive(tmp_path / "deep.zip")
    assert result.status is Status.ERROR and "nested more than 3 deep" in result.message


@pytest.mark.parametrize("cut", [30, 200, -30])
def test_a_truncated_archive_is_a_clear_error(tmp_path: Path, cut: int) -> None:
    whole = strava_zip(tmp_path / "whole.zip").read_bytes()
    (tmp_path / "cut.zip").write_bytes(whole[:cut])
    results = list(iter_archive(tmp_path / "cut.zip"))
    assert results and all(isinstance(r, FileResult) for r in results)
    assert any(r.status is Status.ERROR for r in results)


def test_a_missing_path_is_an_error_result(tmp_path: Path) -> None:
    (result,) = iter_paths([tmp_path / "nope.zip"])
    assert result.status is Status.ERROR and "cannot be opened" in result.message


def test_two_workers_give_the_same_results_in_the_same_order(tmp_path: Path) -> None:
    export = strava_zip(tmp_path / "export.zip", {f"x/{i}.fit": fw.activity(1_700_000_000 + i * DAY)
                                                   for i in range(20)})  # fmt: skip
    alone = list(iter_archive(export))
    assert list(iter_parallel([export], workers=2, batch_size=3)) == alone


def test_an_entry_over_the_file_limit_is_refused_before_reading(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "big.zip", "w") as archive:
        archive.writestr("big.fit", fw.activity(1_700_000_000, points=400))
        archive.writestr("small.gpx", gpx())
    results = by_name(list(iter_archive(tmp_path / "big.zip", Limits(max_file_bytes=6000))))
    assert "larger than the 6,000-byte limit" in results["big.fit"].message
    assert results["small.gpx"].status is Status.OK


def test_a_large_nested_archive_is_read_from_an_unnamed_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("kneecap.ingest.archive._SPOOL_IN_MEMORY", 1024)
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        for i in range(3):
            archive.writestr(f"{i}.fit", fw.activity(1_700_000_000 + i * DAY))
    with zipfile.ZipFile(tmp_path / "outer.zip", "w", zipfile.ZIP_DEFLATED) as outer:
        outer.writestr("inner.zip", inner.getvalue())
    before = set(Path(tempfile.gettempdir()).iterdir())
    assert [r.status for r in iter_archive(tmp_path / "outer.zip")] == [Status.OK] * 3
    assert set(Path(tempfile.gettempdir()).iterdir()) <= before  # nothing left behind


def test_a_stored_nested_archive_is_read_in_place_with_damage_reported(tmp_path: Path) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("good.fit", fw.activity(1_700_000_000))
        archive.writestr("bad.fit", fw.activity(1_700_000_000 + DAY))
    data = bytearray(inner.getvalue())
    at = data.rfind(b"bad.fit", 0, data.find(b"PK\x01\x02")) + 20  # inside bad.fit's data
    data[at] ^= 0xFF
    with zipfile.ZipFile(tmp_path / "outer.zip", "w", zipfile.ZIP_STORED) as outer:
        outer.writestr("notes.txt", b"hello")
        outer.writestr("inner.zip", bytes(data))
    results = by_name(list(iter_archive(tmp_path / "outer.zip")))
    assert results["good.fit"].status is Status.OK
    assert results["bad.fit"].status is Status.ERROR


def _members_zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _zipfile_reads(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | None:
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, zlib.error, EOFError):
        return None


def test_the_fast_inflate_reads_what_zipfile_reads() -> None:
    """zipfile is the reference for ``_read_member``'s ISA-L path, on intact members and on
    the same members with each byte before the directory damaged in turn."""
    files = {
        "a.fit": fw.activity(1_700_000_000),
        "b.gpx": gpx(),
        "empty.txt": b"",
        "big.tcx": tcx() * 50,
    }
    intact = _members_zip(files)
    with zipfile.ZipFile(io.BytesIO(intact)) as archive:
        for info in archive.infolist():
            assert _read_member(archive, info, 10**7) == files[info.filename]
    agreed = 0
    directory = intact.find(b"PK\x01\x02")
    for at in range(directory):
        damaged = bytearray(intact)
        damaged[at] ^= 0x5A
        with zipfile.ZipFile(io.BytesIO(bytes(damaged))) as archive:
            for info in archive.infolist():
                expected = _zipfile_reads(archive, info)
                try:
                    got: bytes | None = _read_member(archive, info, 10**7)
                except CorruptFile:
                    got = None
                assert got == expected, (at, info.filename)
                agreed += 1
    assert agreed > 1000
