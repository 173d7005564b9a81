"""The first sheet of an XLSX, row by row, read by a bounded expat parser.

openpyxl builds every cell of a row before any column limit applies and reads the whole
shared-strings table before the first row, so a 92 kB file (one row of 3,000,000 cells, or
a million shared strings) kept a web worker busy past gunicorn's timeout. Here expat
calls us per element and we count: every element of every part read spends from one
budget, cells past MAX_COLUMNS are skipped without being built, and the reader stops at
the end of the sheet's data or as soon as its caller stops asking for rows. A DTD is
refused outright (an XLSX never has one; entity expansion is the classic XML bomb).
"""

import posixpath
import zipfile
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, from_ISO8601

# What the ZIP declares its members unpack to (zipfile never reads past the declared size).
# A realistic pegawai sheet of 5000 rows x 8 columns unpacks to 2.4 MB
# (docs/PERFORMANCE.md); the cap leaves room for five times that.
MAX_UNPACKED_BYTES = 12 * 1024 * 1024
# Elements read in all parts together: that 5000 x 8 sheet has 115,000; expat and our
# handlers go through roughly 400,000 a second on the benchmark machine.
MAX_ELEMENTS = 300_000
# Columns beyond these are never ours: their cells are counted but not built.
MAX_COLUMNS = 64
# Excel's own width (XFD): a row with more cells than this is not a spreadsheet's.
MAX_CELLS_PER_ROW = 16_384
CHUNK_BYTES = 64 * 1024

RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


class Unreadable(ValueError):
    """The file is not a table we can read, or is larger than allowed; the text says why."""


class _Finished(Exception):
    """Raised from a handler to stop expat once the part has given what we need."""


class _Budget:
    def __init__(self, elements):
        self.left = elements

    def spent(self):
        raise Unreadable(
            "Isi berkas XLSX terlalu banyak untuk 5000 baris pegawai. "
            "Simpan ulang hanya dengan kolom dan baris data pegawai."
        )


def rows(stream):
    """(row number, [cell values of the first MAX_COLUMNS columns]) for each row of the
    first sheet; values are str, int, float, bool, datetime or None."""
    with zipfile.ZipFile(stream) as archive:
        unpacked = sum(member.file_size for member in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise Unreadable(
                f"Isi berkas XLSX terlalu besar (lebih dari {MAX_UNPACKED_BYTES // 2**20} MB setelah dibuka)."
            )
        budget = _Budget(MAX_ELEMENTS)
        book = _Book(archive, budget)
        sheet = _Sheet(book.shared_strings(), book.date_styles(), book.epoch)
        yield from _parse(archive, book.sheet_path, budget, sheet)


class _Book:
    """Where the first sheet, its shared strings and styles are, and the date system."""

    def __init__(self, archive, budget):
        self.archive, self.budget = archive, budget
        package = self._relations("_rels/.rels", "")
        path = package.get("officeDocument", ["xl/workbook.xml"])[0]
        workbook = _Workbook()
        _parse_all(archive, path, budget, workbook)
        if workbook.first_sheet is None:
            raise Unreadable("Berkas XLSX tidak berisi lembar kerja.")
        self.epoch = CALENDAR_MAC_1904 if workbook.date1904 else CALENDAR_WINDOWS_1900
        folder = posixpath.dirname(path)
        relations = self._relations(
            posixpath.join(folder, "_rels", posixpath.basename(path) + ".rels"), folder
        )
        self.sheet_path = relations["by_id"].get(workbook.first_sheet)
        if self.sheet_path is None:
            raise Unreadable("Berkas XLSX tidak berisi lembar kerja.")
        self.strings_path = relations.get("sharedStrings", [None])[0]
        self.styles_path = relations.get("styles", [None])[0]

    def _relations(self, path, folder):
        """{type's last word: [targets]} and {"by_id": {id: target}}, targets as member names."""
        found = {"by_id": {}}
        if path not in self.archive.NameToInfo:
            return found

        class Relations:
            def start(self, name, attrs):
                if name != "Relationship":
                    return
                target = attrs.get("Target", "")
                target = (
                    target[1:]
                    if target.startswith("/")
                    else posixpath.normpath(posixpath.join(folder, target))
                )
                found.setdefault(attrs.get("Type", "").rpartition("/")[2], []).append(target)
                found["by_id"][attrs.get("Id")] = target

        _parse_all(self.archive, path, self.budget, Relations())
        return found

    def shared_strings(self):
        strings = _SharedStrings()
        if self.strings_path:
            _parse_all(self.archive, self.strings_path, self.budget, strings)
        return strings.values

    def date_styles(self):
        """The cell style indexes (the s="…" of a cell) whose number format is a date."""
        styles = _Styles()
        if self.styles_path:
            _parse_all(self.archive, self.styles_path, self.budget, styles)
        formats = {**BUILTIN_FORMATS, **styles.custom}
        return {
            index
            for index, number in enumerate(styles.cell_formats)
            if is_date_format(formats.get(number) or "")
        }


class _Workbook:
    first_sheet = None
    date1904 = False

    def start(self, name, attrs):
        if name == "workbookPr":
            self.date1904 = attrs.get("date1904", "").lower() in ("1", "true")
        elif name == "sheet" and self.first_sheet is None:
            # r:id, whatever the relationships namespace (transitional or strict) is.
            self.first_sheet = next((v for k, v in attrs.items() if k.endswith(" id")), None)
            raise _Finished


class _SharedStrings:
    def __init__(self):
        self.values, self.parts, self.depth_ignored, self.in_text = [], [], 0, False

    def start(self, name, attrs):
        if name == "si":
            self.parts = []
        elif name == "rPh":  # phonetic guide: not part of the text
            self.depth_ignored += 1
        elif name == "t" and not self.depth_ignored:
            self.in_text = True

    def end(self, name):
        if name == "t":
            self.in_text = False
        elif name == "rPh":
            self.depth_ignored -= 1
        elif name == "si":
            self.values.append("".join(self.parts))

    def text(self, data):
        if self.in_text:
            self.parts.append(data)


class _Styles:
    def __init__(self):
        self.custom, self.cell_formats, self.in_cell_xfs = {}, [], False

    def start(self, name, attrs):
        if name == "numFmt":
            self.custom[_number(attrs.get("numFmtId"), -1)] = attrs.get("formatCode", "")
        elif name == "cellXfs":
            self.in_cell_xfs = True
        elif name == "xf" and self.in_cell_xfs:
            self.cell_formats.append(_number(attrs.get("numFmtId"), 0))

    def end(self, name):
        if name == "cellXfs":
            raise _Finished


class _Sheet:
    """Collects finished rows in `ready`; the parse loop hands them out between chunks."""

    def __init__(self, shared_strings, date_styles, epoch):
        self.shared_strings, self.date_styles, self.epoch = shared_strings, date_styles, epoch
        self.ready, self.number, self.cells = [], 0, None
        self.column, self.count, self.cell, self.parts, self.in_value = 0, 0, None, None, False

    def start(self, name, attrs):
        if name in ("v", "t"):  # the value, or an inline string's text (not a formula's <f>)
            self.in_value = self.cell is not None
        elif name == "c":
            self.count += 1
            if self.count > MAX_CELLS_PER_ROW:
                raise Unreadable(f"Baris {self.number} berisi lebih dari {MAX_CELLS_PER_ROW} sel.")
            reference = attrs.get("r")
            self.column = _column(reference) if reference else self.column + 1
            # Beyond our columns the cell is only counted: no text is gathered for it.
            self.cell = (attrs.get("t", "n"), attrs.get("s")) if self.column <= MAX_COLUMNS else None
            self.parts = []
        elif name == "row":
            self.number = _number(attrs.get("r"), self.number + 1)
            self.cells, self.column, self.count = [], 0, 0

    def end(self, name):
        if name in ("v", "t"):
            self.in_value = False
        elif name == "c" and self.cell is not None:
            value = self._value(*self.cell, "".join(self.parts))
            self.cells.extend([None] * (self.column - 1 - len(self.cells)))
            self.cells.append(value)
            self.cell = None
        elif name == "row":
            self.ready.append((self.number, self.cells))
        elif name == "sheetData":
            raise _Finished

    def text(self, data):
        if self.in_value:
            self.parts.append(data)

    def _value(self, kind, style, raw):
        if kind in ("s", "inlineStr", "str", "e"):
            return self.shared_strings[int(raw)] if kind == "s" else raw
        if not raw:
            return None
        if kind == "b":
            return raw == "1"
        if kind == "d":
            return from_ISO8601(raw)
        number = float(raw) if any(mark in raw for mark in ".eE") else int(raw)
        if style is not None and _number(style, -1) in self.date_styles:
            return from_excel(number, self.epoch)
        return number


def _column(reference):
    """1 for "A7", 28 for "AB7"; anything past XFD counts as past our columns."""
    letters = reference.rstrip("0123456789")
    if not letters.isalpha() or len(letters) > 3:
        return MAX_CELLS_PER_ROW + 1
    column = 0
    for letter in letters.upper():
        column = column * 26 + ord(letter) - 64
    return column


def _number(text, default):
    return int(text) if text and text.isdigit() and len(text) <= 9 else default


def _refuse_dtd(*_args):
    raise Unreadable("Berkas XLSX berisi DTD; berkas Excel yang asli tidak pernah memilikinya.")


def _parse_all(archive, path, budget, handler):
    for _ in _parse(archive, path, budget, handler):
        pass


def _parse(archive, path, budget, handler):
    """Feed one ZIP member to expat in chunks, calling handler.start/end/text with names
    stripped of their namespace; yields what the handler put in its `ready` list after
    each chunk, so a caller that stops iterating stops the reading."""
    parser = expat.ParserCreate(namespace_separator=" ")
    start, end, text = (getattr(handler, name, None) for name in ("start", "end", "text"))

    def on_start(name, attrs):
        budget.left -= 1
        if budget.left < 0:
            budget.spent()
        start(name.rpartition(" ")[2], attrs)

    parser.StartElementHandler = on_start
    if end:
        parser.EndElementHandler = lambda name: end(name.rpartition(" ")[2])
    if text:
        parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    ready = getattr(handler, "ready", None)
    with archive.open(path) as member:
        try:
            while chunk := member.read(CHUNK_BYTES):
                parser.Parse(chunk, False)
                if ready:
                    yield from ready
                    ready.clear()
            parser.Parse(b"", True)
        except _Finished:
            pass
    if ready:
        yield from ready
        ready.clear()
