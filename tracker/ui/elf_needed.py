"""The shared libraries an ELF file asks the dynamic loader for (its DT_NEEDED entries).

Reads only the headers, the dynamic section and its string table, so it is cheap even for
Qt's 10 MB libraries. Used by the startup check to learn exactly which system libraries
Qt's platform plugin needs, instead of a list that goes stale with each Qt release.
"""

from __future__ import annotations

import struct
from pathlib import Path

ELF_MAGIC = b"\x7fELF"
SHT_DYNAMIC = 6
DT_NULL, DT_NEEDED = 0, 1


class NotAnElfFile(ValueError):
    pass


def needed_libraries(path: Path) -> list[str]:
    """The sonames `path` names as DT_NEEDED, in file order. Raises OSError or NotAnElfFile."""
    with open(path, "rb") as file:
        ident = file.read(16)
        if len(ident) < 16 or ident[:4] != ELF_MAGIC or ident[4] not in (1, 2):
            raise NotAnElfFile(f"{path} is not an ELF file")
        wide, order = ident[4] == 2, "<" if ident[5] == 1 else ">"
        sections = _section_headers(file, wide, order)
        dynamic = next((s for s in sections if s[0] == SHT_DYNAMIC), None)
        if dynamic is None:
            return []
        _, offset, size, link = dynamic
        strings = _read(file, sections[link][1], sections[link][2])
        return [_string_at(strings, value)
                for tag, value in _dynamic_entries(_read(file, offset, size), wide, order)
                if tag == DT_NEEDED]


def _section_headers(file, wide: bool, order: str) -> list[tuple[int, int, int, int]]:
    """(type, offset, size, link) of every section."""
    header = _read(file, 16, 48 if wide else 36)
    if wide:
        shoff, entsize, count = *struct.unpack_from(order + "Q", header, 24), \
            *struct.unpack_from(order + "HH", header, 42)
    else:
        shoff, entsize, count = *struct.unpack_from(order + "I", header, 16), \
            *struct.unpack_from(order + "HH", header, 30)
    table = _read(file, shoff, entsize * count)
    layout = order + ("IIQQQQII" if wide else "IIIIIIII")
    sections = []
    for index in range(count):
        _, kind, _, _, offset, size, link, _ = struct.unpack_from(layout, table, index * entsize)
        sections.append((kind, offset, size, link))
    return sections


def _dynamic_entries(data: bytes, wide: bool, order: str):
    layout = order + ("qQ" if wide else "iI")
    whole = len(data) - len(data) % struct.calcsize(layout)
    for tag, value in struct.iter_unpack(layout, data[:whole]):
        if tag == DT_NULL:
            return
        yield tag, value


def _read(file, offset: int, size: int) -> bytes:
    file.seek(offset)
    data = file.read(size)
    if len(data) != size:
        raise NotAnElfFile(f"{file.name} is truncated")
    return data


def _string_at(strings: bytes, offset: int) -> str:
    end = strings.find(b"\0", offset)
    return strings[offset: end if end >= 0 else None].decode("utf-8", "replace")
