"""The SMS report grammar: how an observer with a cheap phone sends a form's answers in one
text message. Pure Python (no Django), so it is tested on its own; messaging.inbound turns a
parsed report into a submission and replies.

    OP 1042 A1 Y A2 0715 B1 350 C3 1,3
    op1042 a1y, a2=07:15; b1:350 c3 1,3 -- Elvin
    OP 1042 @12-034 A1 Y B1 350          (a mobile team member names the station)

REPORT     = FORM [sep] NUMBER { BOUNDARY ( PAIR | STATION ) } [ SIGNATURE ]
FORM       = 1–4 letters: the form's code (OP, V, CL)
NUMBER     = the observer's number, 1–9 digits (leading zeros ignored). Between the form code
             and the number: nothing, spaces, or any of , ; = : - # № .
STATION    = "@" station code (letters and digits, inner "-", "/" or "."), for observers in a
             mobile team, who must say which station they report on; at most once, anywhere
             between answers
PAIR       = CODE SEP VALUE, or CODE VALUE where CODE ends in a digit and VALUE starts with a
             letter (A1Y, B2NO). A number always needs a separator: B1 350, never B1350.
CODE       = 1–3 letters then 0–3 digits: the question's code (A1, B12, CL3)
SEP        = spaces, and/or one of "=", ":" or "-" (A1 Y, A1=Y, A1: Y, A1-Y)
VALUE      = a word that ends at a space, "," or ";" — except that a comma followed by a digit
             continues it, so multiple choices read "1,3" — or a text in double quotes
             ("..." “...” «...») that may hold spaces and keeps its case. Unquoted values are
             upper-cased; what they mean is the form's business (yes/no as Y/N, HƏ/YOX, ДА/НЕТ;
             times as 07:15 or 0715; multiple choices as 1,3, or 13 where 13 is not itself an
             option) — messaging.inbound adapts them to the question's type.
BOUNDARY   = spaces, newlines, ",", ";" or "." between pairs (any number of them); a full
             stop stuck to an unquoted value belongs to the value (the adapter drops it)
SIGNATURE  = everything after "--", "—" or "–" where a pair could start (phones that add
             "-- Name" to every message)

Letters are case-insensitive, and Cyrillic letters that look like Latin ones (А В С Е Н К М О
Р Т Х У, also Ј І Ѕ and the Azerbaijani İ/ı) are read as Latin in the form code, question codes
and station code, so a phone that switched keyboards still works. Values keep their letters
(ДА and НЕТ are answers in their own right); the adapter tries the Latin reading where the
typed one does not fit.

Refused, with an SmsParseError naming what and where: an empty message, a missing or invalid
form code or observer number, a question code that is not one, a code with no value, a number
stuck to its code, an unclosed quote, a question given twice, a second station, no answers,
more than MAX_LENGTH characters.
"""

import re
from dataclasses import dataclass, field

MAX_LENGTH = 1600  # ten SMS parts; longer is not a report

# Machine codes of SmsParseError, translated by the caller.
EMPTY = "empty"
TOO_LONG = "too_long"
FORM_CODE = "form_code"
OBSERVER_NUMBER = "observer_number"
STATION = "station"
DUPLICATE_STATION = "duplicate_station"
QUESTION_CODE = "question_code"
MISSING_VALUE = "missing_value"
SEPARATOR = "separator"
UNCLOSED_QUOTE = "unclosed_quote"
DUPLICATE_QUESTION = "duplicate_question"
NO_ANSWERS = "no_answers"
ERROR_CODES = (
    EMPTY,
    TOO_LONG,
    FORM_CODE,
    OBSERVER_NUMBER,
    STATION,
    DUPLICATE_STATION,
    QUESTION_CODE,
    MISSING_VALUE,
    SEPARATOR,
    UNCLOSED_QUOTE,
    DUPLICATE_QUESTION,
    NO_ANSWERS,
)

FORM_CODE_RE = re.compile(r"^[A-Z]{1,4}$")
QUESTION_CODE_RE = re.compile(r"^[A-Z]{1,3}[0-9]{0,3}$")
STATION_CODE_RE = re.compile(r"^[A-Z0-9]+(?:[-/.][A-Z0-9]+)*$")
MAX_OBSERVER_NUMBER = 999_999_999

LOOKALIKES = {
    "А": "A",
    "В": "B",
    "С": "C",
    "Е": "E",
    "Н": "H",
    "К": "K",
    "М": "M",
    "О": "O",
    "Р": "P",
    "Т": "T",
    "Х": "X",
    "У": "Y",
    "Ј": "J",
    "І": "I",
    "Ѕ": "S",
    "İ": "I",
}
QUOTES = '"“”«»„'
DIGITS = "0123456789"
LATIN = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
HEADER_SEPARATORS = ",;=:-#№."
CODE_VALUE_SEPARATORS = "=:-"
BOUNDARY = ",;."
SIGNATURE_DASHES = "—–"


class SmsParseError(ValueError):
    """The text is not a report. `code` is one of ERROR_CODES, `position` the index in the text
    where the trouble starts, `detail` the piece of text concerned (a code, a word) or ""."""

    def __init__(self, code: str, position: int, detail: str = ""):
        self.code = code
        self.position = position
        self.detail = detail
        super().__init__(f"{code} at {position}: {detail!r}")


@dataclass(frozen=True)
class SmsReport:
    form_code: str
    observer_number: int
    station_code: str | None = None
    answers: dict[str, str] = field(default_factory=dict)


def _upper(char: str) -> str:
    # Character by character, so positions in the folded text are positions in the original.
    upper = char.upper()
    return upper if len(upper) == 1 else char


def fold_case(text: str) -> str:
    return "".join(_upper(char) for char in text)


def to_latin(text: str) -> str:
    """Upper-cased, with the Cyrillic (and dotted) look-alikes of Latin letters made Latin."""
    return "".join(LOOKALIKES.get(_upper(char), _upper(char)) for char in text)


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.upper = fold_case(text)
        self.latin = to_latin(text)
        self.i = 0

    # --- Reading helpers -----------------------------------------------------------------

    def at_end(self) -> bool:
        return self.i >= len(self.text)

    def char(self) -> str:
        return self.latin[self.i]

    def skip(self, chars: str = "", *, spaces: bool = True) -> bool:
        start = self.i
        while not self.at_end() and (
            (spaces and self.text[self.i].isspace()) or self.latin[self.i] in chars
        ):
            self.i += 1
        return self.i > start

    def read(self, chars: str) -> str:
        start = self.i
        while not self.at_end() and self.latin[self.i] in chars:
            self.i += 1
        return self.latin[start : self.i]

    def word_at(self, position: int) -> str:
        """The word starting at `position`, for error details."""
        end = position
        while end < len(self.text) and not self.text[end].isspace() and end - position < 20:
            end += 1
        return self.text[position:end]

    def at_signature(self) -> bool:
        rest = self.latin[self.i : self.i + 2]
        return rest == "--" or rest[:1] in SIGNATURE_DASHES

    def error(self, code: str, position: int | None = None, detail: str | None = None):
        position = self.i if position is None else position
        return SmsParseError(code, position, self.word_at(position) if detail is None else detail)

    # --- The grammar ---------------------------------------------------------------------

    def report(self) -> SmsReport:
        self.skip(BOUNDARY)
        if self.at_end() or self.at_signature():
            raise self.error(EMPTY, detail="")
        form_code = self.read(LATIN)
        if not form_code or len(form_code) > 4:
            raise self.error(FORM_CODE, self.i - len(form_code))
        self.skip(HEADER_SEPARATORS)
        start = self.i
        digits = self.read(DIGITS)
        if not digits:
            raise self.error(OBSERVER_NUMBER)
        number = int(digits)
        if len(digits.lstrip("0")) > 9 or number == 0:
            raise self.error(OBSERVER_NUMBER, start)
        station: str | None = None
        answers: dict[str, str] = {}
        while True:
            self.skip(BOUNDARY)
            if self.at_end() or self.at_signature():
                break
            if self.char() == "@":
                if station is not None:
                    raise self.error(DUPLICATE_STATION)
                station = self.station()
                continue
            code, value = self.pair(answers)
            answers[code] = value
        if not answers:
            raise self.error(NO_ANSWERS, detail="")
        return SmsReport(form_code, number, station, answers)

    def station(self) -> str:
        start = self.i
        self.i += 1  # the "@"
        self.skip()
        code_start = self.i
        while not self.at_end():
            if self.char() in LATIN + DIGITS or (
                self.char() in "-/."
                and self.i > code_start
                and self.i + 1 < len(self.text)
                and self.latin[self.i + 1] in LATIN + DIGITS
            ):
                self.i += 1
            else:
                break
        code = self.latin[code_start : self.i]
        if not code or not (
            self.at_end() or self.text[self.i].isspace() or self.char() in BOUNDARY
        ):
            raise self.error(STATION, start)
        return code

    def pair(self, answers: dict[str, str]) -> tuple[str, str]:
        start = self.i
        letters = self.read(LATIN)
        digits = self.read(DIGITS)
        if not letters or len(letters) > 3:
            raise self.error(QUESTION_CODE, start)
        if len(digits) > 3:
            # "B1350": where the code ends and the number starts cannot be known.
            raise self.error(SEPARATOR, start)
        code = letters + digits
        if code in answers:
            raise self.error(DUPLICATE_QUESTION, start, code)
        separated = self.skip()
        if not self.at_end() and not self.at_signature() and self.char() in CODE_VALUE_SEPARATORS:
            self.i += 1
            self.skip()
            separated = True
        if self.at_end() or self.text[self.i] in ",;" or self.at_signature():
            raise self.error(MISSING_VALUE, start, code)
        if not separated and self.char() == ".":
            raise self.error(MISSING_VALUE, start, code)
        if not separated and not digits and self.text[self.i] not in QUOTES:
            raise self.error(QUESTION_CODE, start)
        return code, self.value()

    def value(self) -> str:
        if self.text[self.i] in QUOTES:
            start = self.i
            end = next(
                (k for k in range(start + 1, len(self.text)) if self.text[k] in QUOTES), None
            )
            if end is None:
                raise self.error(UNCLOSED_QUOTE, start, "")
            self.i = end + 1
            return self.text[start + 1 : end]
        start = self.i
        self._item()
        while (
            self.i + 1 < len(self.text)
            and self.text[self.i] == ","
            and self.text[self.i + 1] in DIGITS
        ):
            self.i += 1
            self._item()
        return self.upper[start : self.i]

    def _item(self) -> None:
        while not self.at_end():
            char = self.text[self.i]
            if char.isspace() or char in ",;" or char in QUOTES:
                break
            self.i += 1


def parse(text: str) -> SmsReport:
    """Read one SMS as a report, or raise SmsParseError."""
    if not isinstance(text, str):
        raise SmsParseError(EMPTY, 0)
    if len(text) > MAX_LENGTH:
        raise SmsParseError(TOO_LONG, MAX_LENGTH)
    return _Parser(text).report()


# --- Writing a report ----------------------------------------------------------------------


def _is_plain(value: str) -> bool:
    """Whether the value reads back as itself without quotes."""
    if not value or fold_case(value) != value:
        return False
    if value[0] in CODE_VALUE_SEPARATORS or value[0] in SIGNATURE_DASHES:
        return False
    items = value.split(",")
    for index, item in enumerate(items):
        if not item or any(char.isspace() or char in ";" for char in item):
            return False
        if index and item[0] not in DIGITS:
            return False
    return True


def format_value(value: str) -> str:
    if any(char in QUOTES for char in value):
        raise ValueError("an SMS value cannot hold quotation marks")
    return value if _is_plain(value) else f'"{value}"'


def format_report(report: SmsReport) -> str:
    """The report as an SMS that `parse` reads back as the same report (the canonical form:
    upper case, single spaces, `CODE VALUE` pairs). Raises ValueError for a report that no SMS
    can carry (a bad code, a value with quotation marks, no answers)."""
    if not FORM_CODE_RE.match(report.form_code):
        raise ValueError(f"not a form code: {report.form_code!r}")
    number = report.observer_number
    if isinstance(number, bool) or not isinstance(number, int):
        raise ValueError(f"not an observer number: {number!r}")
    if not 1 <= number <= MAX_OBSERVER_NUMBER:
        raise ValueError(f"not an observer number: {number!r}")
    if report.station_code is not None and not STATION_CODE_RE.match(report.station_code):
        raise ValueError(f"not a station code: {report.station_code!r}")
    if not report.answers:
        raise ValueError("a report needs at least one answer")
    parts = [f"{report.form_code} {number}"]
    if report.station_code is not None:
        parts.append(f"@{report.station_code}")
    for code, value in report.answers.items():
        if not QUESTION_CODE_RE.match(code):
            raise ValueError(f"not a question code: {code!r}")
        parts.append(f"{code} {format_value(value)}")
    return " ".join(parts)
