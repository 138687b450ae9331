"""The text of a PDF that reportlab wrote without compression (pageCompression=0), read back
through each font's ToUnicode map: what a screen reader or a copy-and-paste would get. Enough
for our badges; not a general PDF parser."""

import re

_OBJECT = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.DOTALL)
_TO_UNICODE = re.compile(rb"/ToUnicode (\d+) 0 R")
_FONT_REFERENCE = re.compile(rb"/(F[\w+]+) (\d+) 0 R")
_BFCHAR = re.compile(rb"<([0-9A-Fa-f]+)> <([0-9A-Fa-f]+)>")
_TOKEN = re.compile(rb"/(F[\w+]+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\) Tj", re.DOTALL)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(raw: bytes) -> bytes:
    out, index = bytearray(), 0
    while index < len(raw):
        char = raw[index : index + 1]
        if char != b"\\":
            out += char
            index += 1
            continue
        following = raw[index + 1 : index + 2]
        octal = re.match(rb"[0-7]{1,3}", raw[index + 1 : index + 4])
        if octal:
            out.append(int(octal.group(), 8))
            index += 1 + len(octal.group())
        else:
            out += _ESCAPES.get(following, following)
            index += 2
    return bytes(out)


def pdf_text(data: bytes) -> list[str]:
    """Each string the PDF draws, in drawing order."""
    assert b"/FlateDecode" not in data, "render the PDF with compress=False"
    objects = {int(number): body for number, body in _OBJECT.findall(data)}
    maps: dict[int, dict[int, str]] = {}
    for number, body in objects.items():
        reference = _TO_UNICODE.search(body)
        if reference:
            cmap = objects[int(reference.group(1))]
            maps[number] = {
                int(code, 16): chr(int(value, 16)) for code, value in _BFCHAR.findall(cmap)
            }
    fonts: dict[bytes, int] = {}
    for body in objects.values():
        for name, number in _FONT_REFERENCE.findall(body):
            fonts[name] = int(number)
    texts, current = [], None
    for body in objects.values():
        for font, string in _TOKEN.findall(body):
            if font:
                current = maps.get(fonts.get(font))
                continue
            raw = _unescape(string)
            if current is None:
                texts.append(raw.decode("latin-1"))
            else:
                texts.append("".join(current.get(byte, chr(byte)) for byte in raw))
    return texts
