"""The FIT CRC-16 (reflected polynomial 0xA001, initial value 0), fast in pure Python.

A byte-by-byte loop runs at ~10 MB/s, slower than the whole summary reader. The CRC is linear
over GF(2), so each of its 16 bits is the parity of the message bits under a fixed mask that
depends only on each bit's distance from the end of the message. With the message as one big
integer, a bit of the CRC is ``(message & mask).bit_count() & 1``: 16 big-integer operations,
all in C.

The masks are also periodic: the generator x^16 + x^15 + x^2 + 1 is (x + 1)(x^15 + x + 1) with
x^15 + x + 1 primitive, so x^32767 ≡ 1 and a bit 32,767 bytes further from the end adds the
same contribution. The message is therefore first folded (XOR) into one 32,767-byte block,
and the masks only need to span that block; they are built once per process by doubling.
"""

from __future__ import annotations

from functools import cache

# The FIT SDK's 16-entry table (one nibble at a time); used for tiny inputs and the masks.
_NIBBLE = (
    0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
    0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
)  # fmt: skip
_PERIOD = 32_767  # bytes after which every bit's contribution repeats


def crc_slow(data: bytes, crc: int = 0) -> int:
    """The FIT SDK's reference algorithm, nibble by nibble."""
    for byte in data:
        tmp = _NIBBLE[crc & 0xF]
        crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ _NIBBLE[byte & 0xF]
        tmp = _NIBBLE[crc & 0xF]
        crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ _NIBBLE[(byte >> 4) & 0xF]
    return crc


def _advance(matrix: list[int], state: int) -> int:
    """Apply a linear map given by the images of the 16 unit states."""
    out = 0
    for i in range(16):
        if state >> i & 1:
            out ^= matrix[i]
    return out


@cache
def _masks() -> tuple[int, ...]:
    # Length 1: a lone byte with bit b set contributes crc_slow(bytes([1 << b])).
    masks = [0] * 16
    for b in range(8):
        contribution = crc_slow(bytes([1 << b]))
        for j in range(16):
            if contribution >> j & 1:
                masks[j] |= 1 << b
    # step[i]: the state e_i after n zero bytes (n = current length).
    step = [crc_slow(b"\0", 1 << i) for i in range(16)]
    n = 1
    while n < _PERIOD:
        shifted = [0] * 16
        for i in range(16):
            for j in range(16):
                if step[i] >> j & 1:
                    shifted[j] ^= masks[i]
        masks = [m | (s << (8 * n)) for m, s in zip(masks, shifted, strict=True)]
        step = [_advance(step, s) for s in step]
        n *= 2
    keep = (1 << (8 * _PERIOD)) - 1
    return tuple(m & keep for m in masks)


def fit_crc(data: bytes | memoryview, crc: int = 0) -> int:
    """CRC of ``data`` continuing from ``crc``; equal to ``crc_slow`` for every input."""
    view = memoryview(data)
    if len(view) < 64:
        return crc_slow(bytes(view), crc)
    if crc:  # the running state enters as if XORed into the first two bytes
        view = memoryview(bytes([view[0] ^ (crc & 0xFF), view[1] ^ (crc >> 8)]) + view[2:])
    folded = 0
    end = len(view)
    while end > 0:  # blocks aligned on the end: equal distances share a mask bit
        folded ^= int.from_bytes(view[max(0, end - _PERIOD) : end], "big")
        end -= _PERIOD
    crc = 0
    for j, mask in enumerate(_masks()):
        crc |= ((folded & mask).bit_count() & 1) << j
    return crc
