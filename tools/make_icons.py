"""Draw the app icons (the favicon's knee: a ring over a shin on green) as PNG files.

Run once when the design changes: `python tools/make_icons.py`; the PNGs are committed.
Standard library only (zlib), with 4x4 supersampling for smooth edges.
"""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src/kneecap/web/static/kneecap/icons"
GREEN = (0x0B, 0x6E, 0x4F)
WHITE = (0xFF, 0xFF, 0xFF)
SAMPLES = 4


def inside(x: float, y: float, *, maskable: bool) -> tuple[bool, bool]:
    """(in the green tile, in the white mark) at a point of the unit square."""
    # A maskable icon keeps its mark in the central 80% safe zone and fills the whole square.
    scale = 0.62 if maskable else 1.0
    mx, my = 0.5 + (x - 0.5) / scale, 0.5 + (y - 0.5) / scale
    if maskable:
        tile = True
    else:
        r = 7 / 32  # the favicon's rounded corner
        cx, cy = min(max(x, r), 1 - r), min(max(y, r), 1 - r)
        tile = math.hypot(x - cx, y - cy) <= r
    ring = abs(math.hypot(mx - 0.5, my - 15 / 32) - 7 / 32) <= 1.5 / 32
    shin = abs(mx - 0.5) <= 1.5 / 32 and 22 / 32 <= my <= 28 / 32
    cap = math.hypot(mx - 0.5, my - 28 / 32) <= 1.5 / 32
    return tile, tile and (ring or shin or cap)


def pixels(size: int, *, maskable: bool) -> bytes:
    rows = bytearray()
    n = SAMPLES * SAMPLES
    for py in range(size):
        rows.append(0)  # PNG filter: none
        for px in range(size):
            tile = mark = 0
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    t, m = inside(
                        (px + (sx + 0.5) / SAMPLES) / size,
                        (py + (sy + 0.5) / SAMPLES) / size,
                        maskable=maskable,
                    )
                    tile += t
                    mark += m
            rgb = [
                round((g * (tile - mark) + w * mark) / max(tile, 1))
                for g, w in zip(GREEN, WHITE, strict=True)
            ]
            rows += bytes([*rgb, round(255 * tile / n)])
    return bytes(rows)


def png(size: int, data: bytes) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(data, 9))
        + chunk(b"IEND", b"")
    )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, size, maskable in (
        ("icon-192.png", 192, False),
        ("icon-512.png", 512, False),
        ("maskable-512.png", 512, True),
    ):
        (OUT / name).write_bytes(png(size, pixels(size, maskable=maskable)))


if __name__ == "__main__":
    main()
