"""Text in any script as ReportLab Paragraph markup.

Each character is set in a font of the document's chain that has it; complex scripts
(Arabic, Hebrew, Thai, Devanagari) are shaped with HarfBuzz; right-to-left runs are put
in visual order with the Unicode bidi algorithm, per printed line. So the lines are
broken here, to the width of the box, before bidi reorders them: a word longer than a
line is broken between characters instead of overflowing.

ReportLab's own Paragraph shaping and bidi need `rlbidi`, which is not on PyPI, and shape
a word with its first fragment's font only. The glyph mapping follows ReportLab's
`shapeFragWord`: each glyph is drawn through a character that the font maps to it, or
a private-use code ReportLab assigns for glyphs no character maps to (ligatures,
conjuncts). Mark offsets are left to the fonts' defaults.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from typing import Any

import uharfbuzz
from bidi import algorithm
from bidi.mirror import MIRRORED
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth

from quotedesk.pdf.fonts import RTL_CLASSES, Face, FontChain

JOINERS = frozenset("\u200c\u200d")  # ZWNJ, ZWJ: no glyph, but they change the shaping


class Unprintable(ValueError):
    """Characters that no embedded font has."""

    def __init__(self, chars: list[str]) -> None:
        super().__init__(describe(chars))
        self.chars = chars


def describe(chars: list[str]) -> str:
    """ "😀 (U+1F600), U+E000": the character itself where it can be shown."""
    unique = list(dict.fromkeys(chars))
    shown = [f"{ch} (U+{ord(ch):04X})" if ch.isprintable() else f"U+{ord(ch):04X}" for ch in unique]
    return ", ".join(shown[:8]) + (f" and {len(shown) - 8} more" if len(shown) > 8 else "")


def unprintable(text: str, chain: FontChain) -> list[str]:
    """The characters of `text` no font of the chain prints (spaces and format characters
    need none)."""
    return [
        ch
        for ch in set(text)
        if not ch.isspace() and unicodedata.category(ch) != "Cf" and chain.face(ch, False) is None
    ]


@dataclass(slots=True)
class _Piece:
    text: str  # logical order
    face: Face | None  # None: a space
    level: int  # bidi embedding level: odd is right-to-left
    breaks_before: bool  # a line may start here
    glyphs: str = ""  # what is drawn, in visual order
    width: float = 0.0


class Layout:
    """Markup for one font size and weight of a document's chain."""

    def __init__(self, chain: FontChain, bold: bool, size: float) -> None:
        self.chain, self.bold, self.size = chain, bold, size
        self.primary = chain.primary_face(bold)
        self.space = stringWidth(" ", self.primary.name, size)

    def markup(self, text: str, width: float) -> str:
        """`text` broken into lines of at most `width` points, as Paragraph markup.
        Raises Unprintable."""
        lines: list[str] = []
        for line in text.split("\n"):
            lines += [self._emit(pieces) for pieces in self._break(self._pieces(line), width)]
        return "<br/>".join(lines)

    # ---- characters to measured pieces ---------------------------------------------------
    def _pieces(self, line: str) -> list[_Piece]:
        text = " ".join(
            "".join(
                ch for ch in word if unicodedata.category(ch) != "Cf" or ch in JOINERS
            )  # other format characters (bidi controls, soft hyphen) are not printed
            for word in line.split()
        )
        faces = self._faces(text)
        levels = (
            _levels(text)
            if any(unicodedata.bidirectional(ch) in RTL_CLASSES for ch in text)
            else [0] * len(text)
        )
        pieces: list[_Piece] = []
        for i, ch in enumerate(text):
            wide = unicodedata.east_asian_width(ch) in ("W", "F")
            prev = pieces[-1] if pieces else None
            if (
                prev is not None
                and ch != " "
                and prev.face is faces[i]
                and prev.level == levels[i]
                and not wide
                and not _wide(prev.text[-1])
            ):
                prev.text += ch
                continue
            starts_line = prev is not None and (prev.face is None or wide or _wide(prev.text[-1]))
            pieces.append(_Piece(ch, faces[i], levels[i], starts_line))
        for piece in pieces:
            self._shape(piece)
        return pieces

    def _faces(self, text: str) -> list[Face | None]:
        faces: list[Face | None] = []
        missing: list[str] = []
        for ch in text:
            before = faces[-1] if faces else None
            if ch == " ":
                faces.append(None)
            elif (ch in JOINERS or unicodedata.category(ch).startswith("M")) and (
                before is not None and (ch in JOINERS or ord(ch) in before.chars)
            ):
                faces.append(before)  # a mark or joiner stays with its base letter
            else:
                face = self.chain.face(ch, self.bold)
                if face is None and ch in JOINERS:
                    face = self.primary
                if face is None:
                    missing.append(ch)
                faces.append(face)
        if missing:
            raise Unprintable(missing)
        return faces

    def _shape(self, piece: _Piece) -> None:
        face, rtl = piece.face, piece.level % 2 == 1
        if face is None:
            piece.glyphs, piece.width = " ", self.space
            return
        if face.shaped:
            piece.glyphs = _shaped(piece.text, face.name, rtl)
        else:
            text = piece.text.replace("\u200c", "").replace("\u200d", "")
            piece.glyphs = "".join(MIRRORED.get(ch, ch) for ch in reversed(text)) if rtl else text
        piece.width = stringWidth(piece.glyphs, face.name, self.size)

    # ---- lines -----------------------------------------------------------------------------
    def _break(self, pieces: list[_Piece], width: float) -> list[list[_Piece]]:
        """Greedy line breaking in logical order, at spaces and around CJK characters."""
        lines: list[list[_Piece]] = [[]]
        used = 0.0
        units = _units(pieces)
        while units:
            unit = units.pop(0)
            if unit[0].face is None:  # a space: kept only inside a line
                if lines[-1]:
                    lines[-1].append(unit[0])
                    used += unit[0].width
                continue
            unit_width = sum(p.width for p in unit)
            if used + unit_width <= width:
                lines[-1] += unit
                used += unit_width
                continue
            if lines[-1]:
                lines.append([])
                used = 0.0
                if unit_width <= width:
                    lines[-1] += unit
                    used = unit_width
                    continue
            head, rest = self._fit(unit, width)  # a word longer than a whole line
            lines[-1] += head
            lines.append([])
            used = 0.0
            if rest:
                units.insert(0, rest)
        return [_strip(line) for line in lines if _strip(line)] or [[]]

    def _fit(self, unit: list[_Piece], width: float) -> tuple[list[_Piece], list[_Piece]]:
        """The longest start of `unit` that fits `width` (at least one character), and
        the rest, broken between characters and never between a letter and its marks."""
        head: list[_Piece] = []
        used = 0.0
        for k, piece in enumerate(unit):
            if used + piece.width <= width:
                head.append(piece)
                used += piece.width
                continue
            cuts = [i for i in range(1, len(piece.text)) if _starts_cluster(piece.text[i])]
            lo, hi, best = 0, len(cuts) - 1, None
            while lo <= hi:  # binary search: the piece is reshaped at each cut tried
                mid = (lo + hi) // 2
                trial = _Piece(piece.text[: cuts[mid]], piece.face, piece.level, False)
                self._shape(trial)
                if used + trial.width <= width:
                    best, lo = trial, mid + 1
                else:
                    hi = mid - 1
            if best is None and not head:
                best = _Piece(piece.text[: cuts[0]] if cuts else piece.text, piece.face,
                              piece.level, False)  # fmt: skip
                self._shape(best)
            if best is None:
                return head, unit[k:]
            rest = _Piece(piece.text[len(best.text) :], piece.face, piece.level, True)
            if not rest.text:
                return [*head, best], unit[k + 1 :]
            self._shape(rest)
            return [*head, best], [rest, *unit[k + 1 :]]
        return head, []

    def _emit(self, pieces: list[_Piece]) -> str:
        """One line in visual order (bidi rule L2), fonts switched by <font> tags."""
        pieces = pieces[:]
        levels = [p.level for p in pieces]
        odd = [level for level in levels if level % 2]
        # From the highest level down to the lowest odd one, reverse every run at or above it.
        for level in range(max(levels, default=0), min(odd, default=1 << 8) - 1, -1):
            i = 0
            while i < len(pieces):
                if pieces[i].level < level:
                    i += 1
                    continue
                j = i
                while j < len(pieces) and pieces[j].level >= level:
                    j += 1
                pieces[i:j] = pieces[i:j][::-1]
                i = j
        out: list[str] = []
        current = self.primary
        for piece in pieces:
            face = piece.face or current
            if face is not current:
                if current is not self.primary:
                    out.append("</font>")
                if face is not self.primary:
                    out.append(f'<font face="{face.name}">')
                current = face
            out.append(escape(piece.glyphs, quote=False))
        if current is not self.primary:
            out.append("</font>")
        return "".join(out)


def _units(pieces: list[_Piece]) -> list[list[_Piece]]:
    """Pieces grouped into what a line break cannot split: words, spaces, CJK characters."""
    units: list[list[_Piece]] = []
    for piece in pieces:
        if not units or piece.breaks_before or piece.face is None:
            units.append([piece])
        else:
            units[-1].append(piece)
    return units


def _strip(line: list[_Piece]) -> list[_Piece]:
    while line and line[-1].face is None:
        line = line[:-1]
    return line


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _starts_cluster(ch: str) -> bool:
    return not unicodedata.category(ch).startswith("M") and ch not in JOINERS


def _levels(text: str) -> list[int]:
    """Resolved bidi embedding levels (rules P2 to I2) of one line, one per character.
    python-bidi's steps drop joiners (class BN), which take their neighbour's level."""
    kept = [i for i, ch in enumerate(text) if ch not in JOINERS]
    storage = algorithm.get_empty_storage()
    stripped = "".join(text[i] for i in kept)
    storage["base_level"] = algorithm.get_base_level(stripped)
    storage["base_dir"] = "LR"[storage["base_level"]]
    algorithm.get_embedding_levels(stripped, storage)
    algorithm.explicit_embed_and_overrides(storage)
    algorithm.resolve_weak_types(storage)
    algorithm.resolve_neutral_types(storage, False)
    algorithm.resolve_implicit_levels(storage, False)
    levels = [storage["base_level"]] * len(text)
    for i, char in zip(kept, storage["chars"], strict=True):
        levels[i] = char["level"]
    for i, ch in enumerate(text):
        if ch in JOINERS and i:
            levels[i] = levels[i - 1]
    return levels


@lru_cache(maxsize=4096)  # a quote repeats its product names; the window re-exports
def _shaped(text: str, font_name: str, rtl: bool) -> str:
    """The glyphs HarfBuzz chooses for `text`, in visual order, each as a character the
    ReportLab font draws it with."""
    # A TTFont: its HarfBuzz helpers (hbFont, hbAddPrivate) are not in ReportLab's stubs.
    ttf: Any = pdfmetrics.getFont(font_name)
    font = ttf.hbFont(10)  # the size does not change which glyphs
    buffer = uharfbuzz.Buffer()
    buffer.add_str(text)
    buffer.direction = "rtl" if rtl else "ltr"
    buffer.guess_segment_properties()
    uharfbuzz.shape(font, buffer, {"kern": True, "liga": True})
    space = ttf.face.charToGlyph.get(0x20)
    out = []
    for info, position in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True):
        gid = info.codepoint
        if gid == space and position.x_advance == 0:
            continue  # a joiner, hidden by HarfBuzz
        chars = ttf.face.glyphToChar.get(gid)
        if chars:
            out.append(chr(chars[0]))
        else:
            name = font.glyph_to_string(gid)
            out.append(chr(ttf.hbAddPrivate(name, gid, ttf.pdfScale(position.x_advance))))
    return "".join(out)
