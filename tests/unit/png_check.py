#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""png_check.py PNG - is this picture more than a blank page?

Decodes the PNG with the standard library only (zlib; 8-bit RGB, RGBA, grey
and grey+alpha, every row filter), takes the colour of the top-left pixel as
the background and passes when at least MIN_INK of the pixels differ from it
and at least MIN_COLOURS colours appear. Prints "WxH, N% ink, K colours";
exit status 1 (with the reason) otherwise.
"""
import struct
import sys
import zlib

MIN_INK = 0.005
MIN_COLOURS = 3


def fail(msg):
    print(msg)
    sys.exit(1)


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def decode(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail("not a PNG")
    pos, idat, hdr = 8, b"", None
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            hdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
        pos += 12 + length
    if not hdr:
        fail("no IHDR")
    w, h, depth, ctype, _, _, interlace = hdr
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(ctype)
    if depth != 8 or channels is None or interlace:
        fail(f"unsupported PNG (depth {depth}, colour type {ctype}, interlace {interlace})")
    raw = zlib.decompress(idat)
    stride = w * channels
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        cur = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = cur[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if f == 1:
                cur[i] = (cur[i] + a) & 255
            elif f == 2:
                cur[i] = (cur[i] + b) & 255
            elif f == 3:
                cur[i] = (cur[i] + ((a + b) >> 1)) & 255
            elif f == 4:
                cur[i] = (cur[i] + paeth(a, b, c)) & 255
            elif f != 0:
                fail(f"bad filter {f} in row {y}")
        rows.append(bytes(cur))
        prev = cur
    return w, h, channels, rows


def main():
    if len(sys.argv) != 2:
        fail("usage: png_check.py PNG")
    w, h, ch, rows = decode(sys.argv[1])
    if w < 16 or h < 16:
        fail(f"{w}x{h}: too small to be a rendering")
    bg = rows[0][:ch]
    ink, colours = 0, set()
    for r in rows:
        for x in range(0, w * ch, ch):
            px = r[x:x + ch]
            if len(colours) < 1000:
                colours.add(px)
            if px != bg:
                ink += 1
    share = ink / (w * h)
    line = f"{w}x{h}, {100 * share:.1f}% ink, {len(colours)}{'+' if len(colours) >= 1000 else ''} colours"
    if share < MIN_INK or len(colours) < MIN_COLOURS:
        fail(f"blank: {line}")
    print(line)


if __name__ == "__main__":
    main()
