"""Decoding chat exports whose encoding nobody wrote down.

Exports come from many tools: UTF-8 (with or without a byte-order mark), UTF-16 from Excel's
"Unicode text", and cp1252 from older Windows tools; files glued together can even mix them.
We decide per file from the byte-order mark (or the zero bytes UTF-16 leaves in ASCII text), and
for byte-oriented files decode each line on its own: UTF-8 first, cp1252 when that fails, and say
which lines needed the fallback. Nothing is read twice and nothing is held beyond one line.
"""

from __future__ import annotations

import codecs
import io
from dataclasses import dataclass, field
from typing import BinaryIO, Callable, Iterator

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def sniff(head: bytes) -> tuple[str, int, str]:
    """(encoding, bytes of byte-order mark to skip, how we know) from the first bytes of a file."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name, len(bom), f"{name} (byte-order mark)"
    sample = head[:4096]
    if len(sample) >= 4:
        even_zeros = sample[0::2].count(0)
        odd_zeros = sample[1::2].count(0)
        half = len(sample) // 2
        # ASCII text in UTF-16 has a zero in every other byte.
        if odd_zeros > 0.4 * half and even_zeros < 0.05 * half:
            return "utf-16-le", 0, "utf-16-le (no byte-order mark, guessed from zero bytes)"
        if even_zeros > 0.4 * half and odd_zeros < 0.05 * half:
            return "utf-16-be", 0, "utf-16-be (no byte-order mark, guessed from zero bytes)"
    return "utf-8", 0, "utf-8"


@dataclass
class DecodedLines:
    """Text lines of a binary stream, with the encoding found and the lines that needed a fallback."""

    raw: BinaryIO
    encoding: str = "utf-8"
    reason: str = "utf-8"
    fallback_lines: list[int] = field(default_factory=list)  # 1-based line numbers read as cp1252
    fallback_count: int = 0
    bytes_read: int = 0
    on_bytes: Callable[[int], None] | None = None  # progress: called with bytes consumed so far

    MAX_LISTED = 50  # keep the report short when a whole file is cp1252

    def __iter__(self) -> Iterator[str]:
        head = self.raw.read(4096)
        self.encoding, skip, self.reason = sniff(head)
        body = _Rejoin(head[skip:], self.raw)
        self.bytes_read = skip
        if self.encoding.startswith(("utf-16", "utf-32")):
            # Wide encodings cannot be split on b"\n" safely; let the codec find the lines.
            text = io.TextIOWrapper(io.BufferedReader(body, buffer_size=1 << 16), encoding=self.encoding,
                                    errors="replace", newline="")
            for line in text:
                self.bytes_read = skip + body.consumed
                self._progress()
                yield line
            return
        number = 0
        for raw_line in body:
            number += 1
            self.bytes_read += len(raw_line)
            self._progress()
            try:
                yield raw_line.decode("utf-8")
            except UnicodeDecodeError:
                self.fallback_count += 1
                if len(self.fallback_lines) < self.MAX_LISTED:
                    self.fallback_lines.append(number)
                # cp1252 leaves five bytes undefined; "replace" keeps the line rather than losing it.
                yield raw_line.decode("cp1252", errors="replace")

    def _progress(self) -> None:
        if self.on_bytes is not None:
            self.on_bytes(self.bytes_read)

    def describe_fallback(self) -> str | None:
        if not self.fallback_count:
            return None
        shown = ", ".join(map(str, self.fallback_lines))
        more = f" and {self.fallback_count - len(self.fallback_lines)} more" if self.fallback_count > len(self.fallback_lines) else ""
        return (f"mixed encodings: {self.fallback_count} line(s) are not UTF-8 and were read as cp1252 "
                f"(lines {shown}{more})")


class _Rejoin(io.RawIOBase):
    """The sniffed head followed by the rest of the stream, as one binary stream that counts bytes."""

    def __init__(self, head: bytes, rest: BinaryIO):
        self._head = head
        self._rest = rest
        self.consumed = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
        else:
            data = self._rest.read(len(buffer))
            n = len(data)
            buffer[:n] = data
        self.consumed += n
        return n

    def __iter__(self):
        # Line iteration over a buffered view; RawIOBase's own readline is byte-at-a-time.
        return iter(io.BufferedReader(self, buffer_size=1 << 16))
