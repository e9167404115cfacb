"""Reading a lead file: bytes to text, the delimiter, the header's columns, and one checked lead
per data row (or the reason the row was refused, with its line in the file).

Nothing here touches the database: ``clarion.crm.services.import_leads`` merges what this reads.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from clarion.core.errors import InvalidInput
from clarion.crm.models import SCORE_MAX, SCORE_MIN, Lead, LeadStatus

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
AGENT_NAME_MAX = 80

# Header spellings, compared without case, spaces or punctuation ("E-mail address" → emailaddress).
HEADERS: dict[str, tuple[str, ...]] = {
    "email": ("email", "mail", "emailaddress", "mailaddress", "emailid", "courriel"),
    "name": ("name", "fullname", "contact", "contactname", "person", "leadname"),
    "first_name": ("firstname", "givenname", "forename"),
    "last_name": ("lastname", "surname", "familyname"),
    "company": (
        "company",
        "companyname",
        "organisation",
        "organization",
        "org",
        "organisationname",
        "organizationname",
        "account",
        "business",
    ),
    "phone": ("phone", "phonenumber", "telephone", "tel", "mobile", "mobilephone", "cell"),
    "source": ("source", "leadsource", "origin", "channel"),
    "status": ("status", "leadstatus", "stage"),
    "score": ("score", "leadscore", "rating"),
    "notes": ("notes", "note", "comment", "comments", "description"),
    "assigned_to": ("assignedto", "assigned", "assignee", "agent", "owner", "leadowner"),
}
_SPELLINGS = {spelling: column for column, names in HEADERS.items() for spelling in names}
_DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
# How long each text may be: as long as Lead's column.
_LIMITS: dict[str, int] = {
    f: getattr(Lead._meta.get_field(f), "max_length", None) or 0
    for f in ("email", "name", "company", "phone", "source")
}
_STATUS_WORDS = {s.value: s.value for s in LeadStatus} | {
    s.label.lower(): s.value for s in LeadStatus
}
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_email_ok = EmailValidator()
_NAMES = {"cp1252": "Windows-1252 (cp1252)", "latin-1": "Latin-1 (ISO-8859-1)"}


class FileTooLarge(InvalidInput):
    """The file is over the size an import reads (the API answers 413)."""


@dataclass
class LeadRow:
    """One data row that passed every check: ``None`` where the file says nothing."""

    line: int
    email: str
    name: str = ""
    company: str = ""
    phone: str = ""
    source: str = ""
    notes: str = ""
    assigned_to: str = ""  # an agent's name, found in the roster by the import
    status: str | None = None
    score: int | None = None


@dataclass
class ReadFile:
    encoding: str
    delimiter: str
    rows: list[LeadRow] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def control_character(data: bytes) -> tuple[int, str] | None:
    """The line and the character of the first C0 control (but tab, CR, LF) in ``data``.

    The controls are the same bytes in UTF-8, Windows-1252 and Latin-1: the file is checked
    before it is decoded, and refused as a whole, as the API refuses them in any text.
    """
    found = _CONTROL_BYTES.search(data)
    if found is None:
        return None
    return data.count(b"\n", 0, found.start()) + 1, chr(found.group()[0])


def control_message(line: int, char: str) -> str:
    return f"must not contain a control character (U+{ord(char):04X}); found on line {line}"


def decode(data: bytes) -> tuple[str, str, list[str]]:
    """The file's text, the encoding it was read in, and what the reader should know about it."""
    found = control_character(data)
    if found is not None:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or found[1] == "\x00":
            raise InvalidInput("file", "this is not a CSV text file: save it as CSV UTF-8")
        raise InvalidInput("file", control_message(*found))
    try:
        return data.decode("utf-8-sig"), "utf-8", []
    except UnicodeDecodeError as exc:
        where = data[: exc.start].count(b"\n") + 1
    try:
        text, encoding = data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        text, encoding = data.decode("latin-1"), "latin-1"
    note = (
        f"the file is not UTF-8 (from line {where} on): it was read as {_NAMES[encoding]}; "
        "check accented letters, or save the file as CSV UTF-8"
    )
    return text, encoding, [note]


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab: whichever the header line uses most (outside quotes)."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    unquoted = re.sub(r'"[^"]*"', "", header)
    counts = {d: unquoted.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _key(header: str) -> str:
    return re.sub(r"[\W_]+", "", header.lower())


def map_columns(header: list[str]) -> tuple[dict[str, int], list[str]]:
    """Which column holds which field (the first of a spelling wins), and the ignored headers."""
    columns: dict[str, int] = {}
    ignored = []
    for index, title in enumerate(header):
        name = _SPELLINGS.get(_key(title))
        if name is None or name in columns:
            if title.strip():
                ignored.append(title.strip())
            continue
        columns[name] = index
    if "email" not in columns:
        shown = ", ".join(h.strip() for h in header if h.strip()) or "nothing"
        raise InvalidInput(
            "file",
            "the header row has no e-mail column (Email, E-mail or Email address); "
            f"it reads: {shown[:300]}",
        )
    return columns, ignored


def _score(text: str) -> int:
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        raise ValueError(f"score {text[:40]!r} is not a number") from None
    if not number.is_integer() or not SCORE_MIN <= number <= SCORE_MAX:
        raise ValueError(f"score {text[:40]} is not a whole number from 0 to 100")
    return int(number)


def _status(text: str) -> str:
    found = _STATUS_WORDS.get(text.lower())
    if found is None:
        raise ValueError(f"status {text[:40]!r} is not one of {', '.join(LeadStatus.values)}")
    return found


def check_row(line: int, cells: dict[str, str]) -> LeadRow:
    """The lead a row describes; ValueError with the reason in words when it cannot be kept."""
    email = cells.get("email", "").lower()
    if not email:
        raise ValueError("no e-mail address")
    try:
        _email_ok(email)
    except ValidationError:
        raise ValueError(f"{email[:80]!r} is not a valid e-mail address") from None
    if not cells.get("name") and (cells.get("first_name") or cells.get("last_name")):
        cells["name"] = " ".join(p for p in (cells.get("first_name"), cells.get("last_name")) if p)
    for name, limit in _LIMITS.items():
        if len(cells.get(name, "")) > limit:
            raise ValueError(f"{name} is longer than {limit} characters")
    row = LeadRow(line=line, email=email)
    if len(cells.get("assigned_to", "")) > AGENT_NAME_MAX:
        raise ValueError(f"assigned to is longer than {AGENT_NAME_MAX} characters")
    for name in ("name", "company", "phone", "source", "notes", "assigned_to"):
        setattr(row, name, cells.get(name, ""))
    if cells.get("score"):
        row.score = _score(cells["score"])
    if cells.get("status"):
        row.status = _status(cells["status"])
    return row


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Each record with the line of the file it starts on (a quoted cell may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InvalidInput("file", f"line {start} cannot be read as CSV: {exc}") from None
        yield start, record


def read_leads(data: bytes) -> ReadFile:
    """Every data row of a lead file, checked; InvalidInput when the file as a whole is unusable."""
    if len(data) > MAX_FILE_BYTES:
        raise FileTooLarge(
            "file", f"the file is {len(data):,} bytes; an import reads at most {MAX_FILE_BYTES:,}"
        )
    text, encoding, warnings = decode(data)
    delimiter = sniff_delimiter(text)
    records = _records(text, delimiter)
    header = next((cells for _, cells in records if any(c.strip() for c in cells)), None)
    if header is None:
        raise InvalidInput("file", "the file is empty: it needs a header row and leads under it")
    columns, ignored = map_columns(header)
    found = ReadFile(encoding=encoding, delimiter=_DELIMITERS[delimiter], warnings=warnings)
    if ignored:
        found.warnings.append(f"columns ignored: {', '.join(ignored)[:300]}")
    count = 0
    for line, record in records:
        if not any(cell.strip() for cell in record):
            continue  # a blank line
        count += 1
        if count > MAX_ROWS:
            raise InvalidInput("file", f"the file has more than {MAX_ROWS:,} leads: split it")
        cells = {n: record[i].strip() for n, i in columns.items() if i < len(record)}
        try:
            found.rows.append(check_row(line, cells))
        except ValueError as exc:
            found.rejected.append((line, str(exc)))
    return found
