"""Readers for official per-polling-station result files, into one common table.

Every reader returns a :class:`ResultsTable`: one row per polling station in file order, with

- ``region``, ``district`` (integer codes into ``region_names`` / ``district_names``) and
  ``station`` (the station's own number or name, a string);
- ``registered`` voters on the list, ``issued`` ballots (the turnout numerator), ``cast`` ballots
  found in the boxes or counted (valid + invalid), ``invalid`` and ``valid`` ballots;
- ``votes`` per option (party or candidate), an ``(n, k)`` integer array, with ``options`` (the
  names as written in the file);
- ``extra``: the layout's other protocol lines (e.g. ballots received, cancelled, intraday
  turnout counts), and ``failures``: every arithmetic-check failure as a :class:`RowFailure`.

Rows are never dropped: a row that fails a check stays in the table (with its numbers as read;
a cell that is not an integer is read as 0) and is listed in ``failures``, so the caller decides
what to exclude. ``RowFailure.row`` is the row number as a spreadsheet shows it (the header is
row 1, the first station row 2).

Conventions (``/work/shared/data/README.md``):

- turnout = issued / registered; Russia: issued = ballots issued early + in the station + outside
  the station;
- an option's share = votes / (valid + invalid), i.e. over ``cast``.

Layouts:

``russia``   CEC protocol lines, located by their (Russian) header text; one column per party or
             candidate after the last protocol line; ``url`` last. Zipped or plain CSV.
``albania``  ``Prefectures, Communes, Precincts, Ballots, Registered`` then party columns.
             Only ``Ballots`` (ballots cast) is given: ``issued = cast = Ballots``, ``valid`` = sum
             of the party columns, ``invalid = Ballots - valid`` (derived; when the parties'
             votes exceed the ballots the row fails ``votes_gt_cast`` and ``invalid`` is 0).
``georgia``  ``possible voters`` + ``special voters`` (the supplementary list) = registered (a blank
             ``possible voters`` is 0: precincts abroad and special precincts list their voters in
             ``special voters`` only); ``ballots signed for`` = issued; ``valid votes`` is empty in
             the file, so ``valid`` = sum of the candidate columns and ``cast = valid + invalid``.
             The file has no region names: ``region`` is the election district (``District 1``…).
             ``votes by 12`` and ``votes by 17`` (cumulative turnout at noon and 5 pm) are kept in
             ``extra`` as ``turnout_12`` and ``turnout_17``.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

__all__ = [
    "DATASETS",
    "LAYOUTS",
    "MAPPABLE_FIELDS",
    "RULES",
    "LayoutError",
    "ResultsTable",
    "RowFailure",
    "check_arithmetic",
    "data_dir",
    "dataset_path",
    "read_albania",
    "read_csv_mapped",
    "read_georgia",
    "read_layout",
    "read_mapped",
    "read_russia",
    "read_xlsx_mapped",
]

# --- failure rules: code -> plain-language explanation (constants so the UI can translate) ----
REGISTERED_ZERO = "registered_zero"
NOT_AN_INTEGER = "not_an_integer"
NEGATIVE_COUNT = "negative_count"
WRONG_COLUMN_COUNT = "wrong_column_count"
DUPLICATE_STATION = "duplicate_station"
VOTES_NE_VALID = "votes_ne_valid"
VOTES_GT_CAST = "votes_gt_cast"
CAST_GT_REGISTERED = "cast_gt_registered"
ISSUED_GT_REGISTERED = "issued_gt_registered"
CAST_GT_ISSUED = "cast_gt_issued"
BOXES_NE_CAST = "boxes_ne_cast"
BALLOTS_UNBALANCED = "ballots_unbalanced"
ISSUED_GT_RECEIVED = "issued_gt_received"
INTRADAY_DECREASING = "intraday_decreasing"

RULES: dict[str, str] = {
    REGISTERED_ZERO: "No registered voters on the list (turnout cannot be computed).",
    NOT_AN_INTEGER: "A cell is blank or not a whole number; it was read as 0.",
    NEGATIVE_COUNT: "A count is negative.",
    WRONG_COLUMN_COUNT: "The row has a different number of cells from the header.",
    DUPLICATE_STATION: "Another row has the same station identifier.",
    VOTES_NE_VALID: "The options' votes do not add up to the valid ballots.",
    VOTES_GT_CAST: "The options' votes add up to more than the ballots cast.",
    CAST_GT_REGISTERED: "More ballots were cast (valid + invalid) than voters registered.",
    ISSUED_GT_REGISTERED: "More ballots were issued than voters registered.",
    CAST_GT_ISSUED: "More ballots were counted (valid + invalid) than were issued.",
    BOXES_NE_CAST: "Ballots found in the boxes differ from valid + invalid ballots.",
    BALLOTS_UNBALANCED: (
        "Ballots received differ from issued + cancelled + lost - not accounted for on receipt."
    ),
    ISSUED_GT_RECEIVED: "More ballots were issued than the station received.",
    INTRADAY_DECREASING: "A cumulative intraday turnout count is larger than a later one.",
}


class LayoutError(ValueError):
    """The file does not have the columns its layout needs (a caller error, not a row failure)."""


class RowFailure(NamedTuple):
    """One failed check: spreadsheet row number (header = 1), station label, rule code, detail."""

    row: int
    station: str
    rule: str
    detail: str


@dataclass
class ResultsTable:
    """Per-station results in a common shape (see the module docstring for the conventions)."""

    layout: str
    source: str
    region: np.ndarray
    region_names: list[str]
    district: np.ndarray
    district_names: list[str]
    station: list[str]
    registered: np.ndarray
    issued: np.ndarray
    cast: np.ndarray
    invalid: np.ndarray
    valid: np.ndarray
    votes: np.ndarray
    options: list[str]
    rows: np.ndarray
    failures: list[RowFailure] = field(default_factory=list)
    extra: dict[str, np.ndarray] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return int(self.registered.shape[0])

    @property
    def n_stations(self) -> int:
        return len(self)

    def label(self, i: int) -> str:
        """``region / district / station`` for row ``i``."""
        return _label(
            self.region_names[self.region[i]],
            self.district_names[self.district[i]],
            self.station[i],
        )

    def turnout(self) -> np.ndarray:
        """issued / registered per station (NaN where registered <= 0)."""
        return _ratio(self.issued, self.registered)

    def shares(self) -> np.ndarray:
        """votes / (valid + invalid) per station and option, ``(n, k)`` (NaN where cast is 0)."""
        denominator = (self.valid + self.invalid).astype(np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = self.votes / denominator[:, None]
        out[denominator <= 0] = np.nan
        return out

    def totals(self) -> dict[str, Any]:
        """National totals, turnout and shares (the 'official result' of the whole table)."""
        cast = int((self.valid + self.invalid).sum())
        registered = int(self.registered.sum())
        option_votes = self.votes.sum(axis=0)
        return {
            "stations": len(self),
            "registered": registered,
            "issued": int(self.issued.sum()),
            "cast": cast,
            "invalid": int(self.invalid.sum()),
            "valid": int(self.valid.sum()),
            "turnout": float(self.issued.sum() / registered) if registered else None,
            "invalid_share": float(self.invalid.sum() / cast) if cast else None,
            "votes": {name: int(v) for name, v in zip(self.options, option_votes, strict=True)},
            "shares": {
                name: (float(v / cast) if cast else None)
                for name, v in zip(self.options, option_votes, strict=True)
            },
        }

    def leader(self) -> int:
        """Index of the option with the most votes in total."""
        return int(np.argmax(self.votes.sum(axis=0)))

    def failed_mask(self, rules: Iterable[str] | None = None) -> np.ndarray:
        """Boolean mask of rows with at least one failure (optionally of the given rules)."""
        wanted = None if rules is None else set(rules)
        mask = np.zeros(len(self), dtype=bool)
        index_of_row = {int(r): i for i, r in enumerate(self.rows)}
        for failure in self.failures:
            if wanted is None or failure.rule in wanted:
                i = index_of_row.get(failure.row)
                if i is not None:
                    mask[i] = True
        return mask

    def failure_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for failure in self.failures:
            counts[failure.rule] = counts.get(failure.rule, 0) + 1
        return counts

    def subset(self, mask_or_index: np.ndarray) -> ResultsTable:
        """A new table with the selected rows (failures kept for those rows only)."""
        index = np.asarray(mask_or_index)
        if index.dtype == bool:
            index = np.flatnonzero(index)
        keep_rows = {int(r) for r in self.rows[index]}
        return ResultsTable(
            layout=self.layout,
            source=self.source,
            region=self.region[index],
            region_names=self.region_names,
            district=self.district[index],
            district_names=self.district_names,
            station=[self.station[i] for i in index],
            registered=self.registered[index],
            issued=self.issued[index],
            cast=self.cast[index],
            invalid=self.invalid[index],
            valid=self.valid[index],
            votes=self.votes[index],
            options=self.options,
            rows=self.rows[index],
            failures=[f for f in self.failures if f.row in keep_rows],
            extra={k: v[index] for k, v in self.extra.items()},
            notes=list(self.notes),
        )

    def row_dict(self, i: int) -> dict[str, Any]:
        """Row ``i`` as plain Python values (what a database import needs)."""
        return {
            "row": int(self.rows[i]),
            "region": self.region_names[self.region[i]],
            "district": self.district_names[self.district[i]],
            "station": self.station[i],
            "registered": int(self.registered[i]),
            "issued": int(self.issued[i]),
            "cast": int(self.cast[i]),
            "invalid": int(self.invalid[i]),
            "valid": int(self.valid[i]),
            "votes": {
                name: int(v) for name, v in zip(self.options, self.votes[i].tolist(), strict=True)
            },
            "extra": {k: int(v[i]) for k, v in self.extra.items()},
        }


# --- data location ------------------------------------------------------------------------------

#: The shared real-data files: name -> (path relative to the data folder, layout).
DATASETS: dict[str, tuple[str, str]] = {
    "russia2011": ("russia/2011.csv.zip", "russia"),
    "russia2012": ("russia/2012.csv.zip", "russia"),
    "albania2013": ("albania/Albania2013.csv", "albania"),
    "georgia2013": ("georgia/2013_official_pres.csv", "georgia"),
}


def data_dir() -> Path:
    """The shared data folder: ``$BIRLIK_SHARED_DATA``, else ``../shared/data`` (project root)."""
    env = os.environ.get("BIRLIK_SHARED_DATA")
    if env:
        return Path(env)
    project_root = Path(__file__).resolve().parent.parent
    return (project_root / ".." / "shared" / "data").resolve()


def dataset_path(name: str) -> Path:
    """Path of one of :data:`DATASETS` (it may not exist: check before reading)."""
    relative, _layout = DATASETS[name]
    return data_dir() / relative


# --- small helpers ----------------------------------------------------------------------------


def _label(region: str, district: str, station: str) -> str:
    return " / ".join(part for part in (region, district, station) if part)


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    d = np.asarray(denominator, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.asarray(numerator, dtype=np.float64) / d
    out[d <= 0] = np.nan
    return out


def _codes(values: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    """Categorical codes in order of first appearance."""
    index: dict[str, int] = {}
    codes = np.fromiter(
        (index.setdefault(v, len(index)) for v in values), dtype=np.int32, count=len(values)
    )
    return codes, list(index)


def _open_text(path: str | os.PathLike[str], encoding: str = "utf-8") -> io.TextIOBase:
    """Open a CSV, or the single CSV inside a .zip, as text (newline='' for the csv module)."""
    path = Path(path)
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if not n.endswith("/")]
            csv_names = [n for n in names if n.lower().endswith((".csv", ".txt"))] or names
            if not csv_names:
                raise LayoutError(f"{path}: the zip archive holds no file")
            data = archive.read(csv_names[0])
        return io.StringIO(data.decode(encoding).lstrip("\ufeff"), newline="")
    text = path.read_text(encoding=encoding).lstrip("\ufeff")
    return io.StringIO(text, newline="")


_PLAIN_INTEGERS = re.compile(r"-?[0-9]+(?:,-?[0-9]+)*")
_DIGITS_AND_COMMAS = re.compile(r"[0-9,]*")
_INTEGER_CELL = re.compile(r"-?[0-9]+")


def _parse_int_columns(
    rows: list[list[str]],
    columns: Sequence[int],
    names: Sequence[str],
    labels: Sequence[str] | None,
    failures: list[RowFailure],
    blank_is_zero: frozenset[int] = frozenset(),
) -> np.ndarray:
    """Integer matrix ``(len(rows), len(columns))`` from string cells.

    Fast path: one ``np.fromstring`` over the joined cells when every cell is a plain integer.
    Otherwise each cell is parsed on its own; a cell that is blank (unless its column is in
    ``blank_is_zero``) or not a whole number is read as 0 and reported as ``not_an_integer``.
    """
    n, m = len(rows), len(columns)
    if n == 0 or m == 0:
        return np.zeros((n, m), dtype=np.int64)
    contiguous = list(columns) == list(range(columns[0], columns[0] + m))
    if contiguous:
        start, stop = columns[0], columns[0] + m
        cells = [",".join(r[start:stop]) for r in rows]
    else:
        cells = [",".join([r[c] for c in columns]) for r in rows]
    joined = ",".join(cells)
    if not _is_plain(joined):
        # Clean the rows that need it (cell by cell, reporting each bad cell), keep the rest.
        for i, text in enumerate(cells):
            if not _is_plain(text):
                cells[i] = ",".join(
                    _clean_cell(rows[i], c, names[j], i, labels, failures, blank_is_zero)
                    for j, c in enumerate(columns)
                )
        joined = ",".join(cells)
    flat = np.fromstring(joined, dtype=np.int64, sep=",")
    if flat.shape[0] != n * m:  # pragma: no cover - every cell is a plain integer by now
        raise LayoutError("internal error: integer cells could not be parsed")
    return flat.reshape(n, m)


def _is_plain(text: str) -> bool:
    """Comma-separated plain integers only (what ``np.fromstring`` reads safely)."""
    if "-" not in text:  # the usual case, checked ten times faster than the general pattern
        return (
            _DIGITS_AND_COMMAS.fullmatch(text) is not None
            and text != ""
            and ",," not in text
            and text[0] != ","
            and text[-1] != ","
        )
    return _PLAIN_INTEGERS.fullmatch(text) is not None


def _clean_cell(
    row: list[str],
    c: int,
    name: str,
    i: int,
    labels: Sequence[str] | None,
    failures: list[RowFailure],
    blank_is_zero: frozenset[int],
) -> str:
    text = row[c].strip() if c < len(row) else ""
    if _INTEGER_CELL.fullmatch(text):
        return text
    if text == "" and c in blank_is_zero:
        return "0"
    value = _lenient_int(text)
    if value is None:
        label = labels[i] if labels is not None else ""
        failures.append(RowFailure(i + 2, label, NOT_AN_INTEGER, f"{name!s}: {text!r} read as 0"))
        return "0"
    return str(value)


def _lenient_int(value: Any) -> int | None:
    """An integer from '1 234', '12.0', 12.0 (XLSX), or None when it is not a whole number."""
    if value is None:
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return int(value) if float(value).is_integer() else None
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def _fix_widths(
    rows: list[list[str]], width: int, labels_of: Any, failures: list[RowFailure]
) -> None:
    """Pad or cut rows to the header's width, reporting each such row."""
    for i, r in enumerate(rows):
        if len(r) != width:
            failures.append(
                RowFailure(
                    i + 2,
                    labels_of(r),
                    WRONG_COLUMN_COUNT,
                    f"{len(r)} cells, header has {width}",
                )
            )
            if len(r) < width:
                r.extend([""] * (width - len(r)))
            else:
                del r[width:]


def _add(
    failures: list[RowFailure],
    mask: np.ndarray,
    rows: np.ndarray,
    labels: Sequence[str] | Any,
    rule: str,
    detail: Any,
) -> None:
    """Append one failure per True in ``mask``; ``detail(i)`` gives its text.

    ``labels`` is a sequence of station labels or a function of the row index (so that labels
    are built only for the rows that fail).
    """
    label_of = labels if callable(labels) else labels.__getitem__
    for i in np.flatnonzero(mask).tolist():
        failures.append(RowFailure(int(rows[i]), label_of(i), rule, detail(i)))


def check_arithmetic(
    table: ResultsTable,
    *,
    valid_given: bool = True,
    issued_given: bool = True,
    boxes: np.ndarray | None = None,
    ballot_account: tuple[np.ndarray, np.ndarray] | None = None,
    received: np.ndarray | None = None,
    intraday: Sequence[np.ndarray] = (),
) -> list[RowFailure]:
    """The arithmetic checks of a protocol, vectorised; returns the failures (in row order).

    - ``registered_zero``: registered == 0;  ``negative_count``: any count < 0;
    - ``votes_ne_valid``: sum of the options != valid (only where valid is read from the file);
    - ``cast_gt_registered``: valid + invalid > registered;
      ``issued_gt_registered``: issued > registered;
    - ``cast_gt_issued``: valid + invalid > issued (only where issued is read from the file);
    - ``boxes_ne_cast`` (given the ballots found in the boxes): boxes != valid + invalid;
    - ``ballots_unbalanced`` (given ``(received, cancelled_lost_unaccounted)``): received !=
      issued + that balance (Russia: cancelled + lost - not accounted for on receipt);
    - ``issued_gt_received`` (given ballots received): issued > received;
    - ``intraday_decreasing`` (given cumulative counts in time order, the last being ``issued``).
    """
    rows, n = table.rows, len(table)
    labels = table.label
    out: list[RowFailure] = []
    reg, iss, inv, val = table.registered, table.issued, table.invalid, table.valid
    cast = val + inv
    option_sum = table.votes.sum(axis=1) if table.votes.size else np.zeros(n, dtype=np.int64)
    # Computing the failing-row masks first keeps this fast: labels are built only for failures.
    _add(out, reg == 0, rows, labels, REGISTERED_ZERO, lambda i: "registered = 0")
    arrays = [reg, iss, inv, val, table.cast]
    negative = np.zeros(n, dtype=bool)
    for a in arrays:
        negative |= a < 0
    if table.votes.size:
        negative |= (table.votes < 0).any(axis=1)
    _add(out, negative, rows, labels, NEGATIVE_COUNT, lambda i: "a count is below zero")
    if valid_given:
        _add(
            out,
            option_sum != val,
            rows,
            labels,
            VOTES_NE_VALID,
            lambda i: f"options sum to {option_sum[i]}, valid = {val[i]}",
        )
    _add(
        out,
        (cast > reg) & (reg > 0),
        rows,
        labels,
        CAST_GT_REGISTERED,
        lambda i: f"valid + invalid = {cast[i]} > registered = {reg[i]}",
    )
    _add(
        out,
        (iss > reg) & (reg > 0),
        rows,
        labels,
        ISSUED_GT_REGISTERED,
        lambda i: f"issued = {iss[i]} > registered = {reg[i]}",
    )
    _add(
        out,
        (cast > iss) & issued_given,
        rows,
        labels,
        CAST_GT_ISSUED,
        lambda i: f"valid + invalid = {cast[i]} > issued = {iss[i]}",
    )
    if boxes is not None:
        _add(
            out,
            boxes != cast,
            rows,
            labels,
            BOXES_NE_CAST,
            lambda i: f"in boxes = {boxes[i]}, valid + invalid = {cast[i]}",
        )
    if ballot_account is not None:
        rec, balance = ballot_account
        expected = iss + balance
        _add(
            out,
            rec != expected,
            rows,
            labels,
            BALLOTS_UNBALANCED,
            lambda i: f"received = {rec[i]}, accounted for = {expected[i]}",
        )
    if received is not None:
        _add(
            out,
            iss > received,
            rows,
            labels,
            ISSUED_GT_RECEIVED,
            lambda i: f"issued = {iss[i]} > received = {received[i]}",
        )
    for earlier, later in itertools.pairwise(intraday):
        _add(
            out,
            earlier > later,
            rows,
            labels,
            INTRADAY_DECREASING,
            lambda i, a=earlier, b=later: f"cumulative count falls from {a[i]} to {b[i]}",
        )
    return out


def _duplicates(table: ResultsTable) -> list[RowFailure]:
    """``duplicate_station`` for every row whose (region, district, station) occurs again."""
    n = len(table)
    if n < 2:
        return []
    station_code, station_names = _codes(table.station)
    key = (table.region.astype(np.int64) * (len(table.district_names) + 1) + table.district) * (
        len(station_names) + 1
    ) + station_code
    _, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    repeated = np.flatnonzero(counts[inverse] > 1)
    groups: dict[int, list[int]] = {}
    for i in repeated.tolist():
        groups.setdefault(int(inverse[i]), []).append(i)
    out = []
    for indices in groups.values():
        others = ", ".join(str(int(table.rows[j])) for j in indices)
        for i in indices:
            out.append(
                RowFailure(
                    int(table.rows[i]),
                    table.label(i),
                    DUPLICATE_STATION,
                    f"same station as rows {others}",
                )
            )
    return out


def _finish(table: ResultsTable, failures: list[RowFailure]) -> ResultsTable:
    failures.sort(key=lambda f: (f.row, f.rule))
    table.failures = failures
    return table


# --- Russia ---------------------------------------------------------------------------------

# Protocol lines, found by a (lower-case) fragment of their header text. Both the 2011 and the
# 2012 headers match; the first matching column wins.
_RUSSIA_COLUMNS: dict[str, tuple[str, ...]] = {
    "registered": ("число избирателей, внесенных", "число избирателей, включенных"),
    "received": ("полученных участковой избирательной комиссией",),
    "early": ("досрочно",),
    "in_station": ("в помещении для голосования",),
    "outside": ("вне помещения",),
    "cancelled": ("число погашенных избирательных бюллетеней",),
    "portable": ("переносных ящиках",),
    "stationary": ("стационарных ящиках",),
    "invalid": ("число недействительных",),
    "valid": ("число действительных",),
    "lost": ("утраченных избирательных бюллетеней",),
    "unaccounted": ("не учтенных при получении",),
}


def _find_columns(header: Sequence[str], spec: Mapping[str, tuple[str, ...]]) -> dict[str, int]:
    lowered = [h.lower().replace("  ", " ") for h in header]
    found: dict[str, int] = {}
    for key, fragments in spec.items():
        for j, h in enumerate(lowered):
            if any(fragment in h for fragment in fragments):
                # "в помещении" must not match "вне помещения"
                if key == "in_station" and "вне помещения" in h:
                    continue
                found[key] = j
                break
    return found


def read_russia(path: str | os.PathLike[str]) -> ResultsTable:
    """Read a Russian CEC file (2011 Duma, 2012 presidential layout); zipped or plain CSV.

    ``issued`` = early + in the station + outside the station; ``cast`` = ballots found in the
    portable + stationary boxes; shares are over valid + invalid. Extra checks: the boxes against
    valid + invalid (``boxes_ne_cast``) and the ballot account (``ballots_unbalanced``:
    received = issued + cancelled + lost - not accounted for on receipt).
    """
    with _open_text(path) as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except StopIteration:
            raise LayoutError(f"{path}: empty file") from None
        rows = list(reader)
    header = [h.strip() for h in header]
    if len(header) < 4 or [h.lower() for h in header[:3]] != ["region", "tik", "uik"]:
        raise LayoutError(f"{path}: expected 'region, tik, uik' first, got {header[:3]}")
    columns = _find_columns(header, _RUSSIA_COLUMNS)
    missing = sorted(set(_RUSSIA_COLUMNS) - set(columns))
    if missing:
        raise LayoutError(f"{path}: protocol lines not found: {', '.join(missing)}")
    last_protocol = max(columns.values())
    url = [j for j, h in enumerate(header) if h.lower() == "url"]
    end = url[0] if url and url[0] > last_protocol else len(header)
    option_columns = list(range(last_protocol + 1, end))
    if not option_columns:
        raise LayoutError(f"{path}: no party or candidate columns after the protocol lines")
    failures: list[RowFailure] = []
    _fix_widths(rows, len(header), lambda r: _label(*[*r, "", "", ""][:3]), failures)
    # Numbers: every column from registered to the last option in one pass.
    first = 3
    numeric = list(range(first, end))
    labels = [f"{r[0]} / {r[1]} / {r[2]}" for r in rows]
    matrix = _parse_int_columns(rows, numeric, [header[j] for j in numeric], labels, failures)

    def col(key: str) -> np.ndarray:
        return matrix[:, columns[key] - first]

    region, region_names = _codes([r[0] for r in rows])
    district, district_names = _codes([r[1] for r in rows])
    issued = col("early") + col("in_station") + col("outside")
    boxes = col("portable") + col("stationary")
    invalid = col("invalid")
    valid = col("valid")
    table = ResultsTable(
        layout="russia",
        source=str(path),
        region=region,
        region_names=region_names,
        district=district,
        district_names=district_names,
        station=[r[2] for r in rows],
        registered=col("registered"),
        issued=issued,
        cast=boxes,
        invalid=invalid,
        valid=valid,
        votes=np.ascontiguousarray(matrix[:, option_columns[0] - first :]),
        options=[header[j] for j in option_columns],
        rows=np.arange(2, len(rows) + 2, dtype=np.int64),
        extra={
            key: col(key)
            for key in (
                "received",
                "early",
                "in_station",
                "outside",
                "cancelled",
                "portable",
                "stationary",
                "lost",
                "unaccounted",
            )
        },
        notes=[
            "issued = ballots issued early + in the station + outside the station",
            "cast = ballots found in the portable + stationary boxes",
            "shares are over valid + invalid ballots",
        ],
    )
    failures += check_arithmetic(
        table,
        boxes=boxes,
        ballot_account=(col("received"), col("cancelled") + col("lost") - col("unaccounted")),
        received=col("received"),
    )
    failures += _duplicates(table)
    return _finish(table, failures)


# --- Albania --------------------------------------------------------------------------------

_ALBANIA_IDS = ("prefectures", "communes", "precincts", "ballots", "registered")


def read_albania(path: str | os.PathLike[str]) -> ResultsTable:
    """Read the Albanian 2013 file (``Prefectures, Communes, Precincts, Ballots, Registered``).

    ``Ballots`` is the number of ballots cast: ``issued = cast = Ballots``; ``valid`` = sum of the
    party columns; ``invalid = Ballots - valid`` (0 and ``votes_gt_cast`` when negative).
    """
    with _open_text(path) as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except StopIteration:
            raise LayoutError(f"{path}: empty file") from None
        rows = list(reader)
    header = [h.strip() for h in header]
    lowered = [h.lower() for h in header]
    try:
        idx = {name: lowered.index(name) for name in _ALBANIA_IDS}
    except ValueError:
        raise LayoutError(f"{path}: expected columns {', '.join(_ALBANIA_IDS)}") from None
    option_columns = [j for j in range(len(header)) if j > max(idx.values())]
    if not option_columns:
        raise LayoutError(f"{path}: no party columns")
    failures: list[RowFailure] = []
    pref, comm, prec = idx["prefectures"], idx["communes"], idx["precincts"]
    _fix_widths(rows, len(header), lambda r: _label(*(r + [""] * 4)[1:4]), failures)
    labels = [f"{r[pref]} / {r[comm]} / {r[prec]}" for r in rows]
    numeric = [idx["ballots"], idx["registered"], *option_columns]
    matrix = _parse_int_columns(rows, numeric, [header[j] for j in numeric], labels, failures)
    ballots, registered, votes = matrix[:, 0], matrix[:, 1], np.ascontiguousarray(matrix[:, 2:])
    valid = votes.sum(axis=1)
    invalid = ballots - valid
    over = invalid < 0
    region, region_names = _codes([r[pref] for r in rows])
    district, district_names = _codes([r[comm] for r in rows])
    row_numbers = np.arange(2, len(rows) + 2, dtype=np.int64)
    _add(
        failures,
        over,
        row_numbers,
        labels,
        VOTES_GT_CAST,
        lambda i: f"parties sum to {valid[i]}, ballots = {ballots[i]}; invalid set to 0",
    )
    invalid = np.where(over, 0, invalid)
    table = ResultsTable(
        layout="albania",
        source=str(path),
        region=region,
        region_names=region_names,
        district=district,
        district_names=district_names,
        station=[r[prec] for r in rows],
        registered=registered,
        issued=ballots.copy(),
        cast=ballots,
        invalid=invalid,
        valid=valid,
        votes=votes,
        options=[header[j] for j in option_columns],
        rows=row_numbers,
        notes=[
            "Ballots (ballots cast) is both issued and cast",
            "valid = sum of the party columns; invalid = Ballots - valid (derived)",
        ],
    )
    failures += check_arithmetic(table, valid_given=False, issued_given=False)
    failures += _duplicates(table)
    return _finish(table, failures)


# --- Georgia --------------------------------------------------------------------------------

_GEORGIA_COLUMNS: dict[str, tuple[str, ...]] = {
    "district": ("district id",),
    "precinct": ("precinct",),
    "special_precinct": ("special precinct",),
    "possible": ("possible voters",),
    "special": ("special voters",),
    "turnout_12": ("votes by 12",),
    "turnout_17": ("votes by 17",),
    "signed": ("ballots signed for",),
    "received": ("num ballots",),
    "invalid": ("invalid votes",),
    "valid": ("valid votes",),
}


def read_georgia(path: str | os.PathLike[str]) -> ResultsTable:
    """Read the Georgian 2013 presidential file (see the module docstring for the conventions)."""
    with _open_text(path) as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except StopIteration:
            raise LayoutError(f"{path}: empty file") from None
        rows = list(reader)
    header = [h.strip() for h in header]
    lowered = [h.lower() for h in header]
    idx: dict[str, int] = {}
    for key, (name,) in _GEORGIA_COLUMNS.items():
        if name not in lowered:
            raise LayoutError(f"{path}: column {name!r} not found")
        idx[key] = lowered.index(name)
    # Candidates: the columns after the last protocol or 'logic check' column, named "N - Name".
    option_columns = [
        j for j, h in enumerate(header) if j > idx["valid"] and re.match(r"^\d+\s*-\s*\S", h)
    ]
    if not option_columns:
        raise LayoutError(f"{path}: no candidate columns ('N - Name')")
    failures: list[RowFailure] = []
    _fix_widths(rows, len(header), lambda r: "", failures)
    dist, prec, spec = idx["district"], idx["precinct"], idx["special_precinct"]
    station = [
        r[prec].strip() + (f" (special {r[spec].strip()})" if r[spec].strip() else "") for r in rows
    ]
    district_labels = [f"District {r[dist].strip()}" for r in rows]
    labels = [f"{d} / {s}" for d, s in zip(district_labels, station, strict=True)]
    keys = ["possible", "special", "turnout_12", "turnout_17", "signed", "received", "invalid"]
    numeric = [idx[k] for k in keys] + option_columns
    matrix = _parse_int_columns(
        rows,
        numeric,
        [header[j] for j in numeric],
        labels,
        failures,
        blank_is_zero=frozenset({idx["possible"]}),
    )
    get = {k: matrix[:, i] for i, k in enumerate(keys)}
    votes = np.ascontiguousarray(matrix[:, len(keys) :])
    valid = votes.sum(axis=1)
    region, region_names = _codes(district_labels)
    table = ResultsTable(
        layout="georgia",
        source=str(path),
        region=region,
        region_names=region_names,
        district=region.copy(),
        district_names=list(region_names),
        station=station,
        registered=get["possible"] + get["special"],
        issued=get["signed"],
        cast=valid + get["invalid"],
        invalid=get["invalid"],
        valid=valid,
        votes=votes,
        options=[header[j] for j in option_columns],
        rows=np.arange(2, len(rows) + 2, dtype=np.int64),
        extra={
            "possible_voters": get["possible"],
            "special_voters": get["special"],
            "turnout_12": get["turnout_12"],
            "turnout_17": get["turnout_17"],
            "received": get["received"],
        },
        notes=[
            "registered = possible voters + special voters (blank possible voters = 0)",
            "issued = ballots signed for; valid = sum of the candidates (the file's column is "
            "empty); cast = valid + invalid",
            "region = election district (the file has no region names)",
        ],
    )
    # District and station labels coincide in Georgia: keep the label short.
    table.district_names = [""] * len(region_names)
    failures += check_arithmetic(
        table,
        valid_given=False,
        received=get["received"],
        intraday=(get["turnout_12"], get["turnout_17"], get["signed"]),
    )
    failures += _duplicates(table)
    return _finish(table, failures)


# --- generic reader with a column mapping ------------------------------------------------------

#: Fields of the common table a mapping may name. ``station`` and ``registered`` are required.
MAPPABLE_FIELDS = (
    "region",
    "district",
    "station",
    "registered",
    "issued",
    "cast",
    "invalid",
    "valid",
)


def read_mapped(
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    mapping: Mapping[str, str],
    *,
    options: Sequence[str] | None = None,
    layout: str = "generic",
    source: str = "",
) -> ResultsTable:
    """Read rows (CSV cells, or XLSX values from ``openpyxl``'s ``iter_rows(values_only=True)``).

    ``mapping`` maps our field -> column name: ``station`` and ``registered`` are required;
    ``region``, ``district``, ``issued``, ``cast``, ``invalid``, ``valid`` are optional. Options
    (parties or candidates) are the ``options`` columns, or every unmapped column. Missing fields
    are derived: ``valid`` = sum of the options (then ``votes_ne_valid`` is not checked);
    ``invalid`` = cast - valid when ``cast`` is mapped, else 0; ``cast`` = valid + invalid;
    ``issued`` = cast. Cells may be ints, floats with no fraction, or text ('1 234' is read as
    1234); anything else is 0 and reported as ``not_an_integer``. Empty rows are skipped (and not
    counted as stations; their row numbers are still the spreadsheet's).
    """
    names = ["" if h is None else str(h).strip() for h in header]
    position = {name: j for j, name in enumerate(names) if name}
    unknown = [f for f in mapping if f not in MAPPABLE_FIELDS]
    if unknown:
        raise LayoutError(f"unknown fields in the mapping: {', '.join(unknown)}")
    for required in ("station", "registered"):
        if required not in mapping:
            raise LayoutError(f"the mapping needs {required!r}")
    absent = [c for c in mapping.values() if c not in position]
    if absent:
        raise LayoutError(f"columns not in the header: {', '.join(absent)}")
    if options is None:
        mapped = set(mapping.values())
        options = [n for n in names if n and n not in mapped]
    absent = [c for c in options if c not in position]
    if absent:
        raise LayoutError(f"option columns not in the header: {', '.join(absent)}")
    failures: list[RowFailure] = []
    text: dict[str, list[str]] = {"region": [], "district": [], "station": []}
    number_fields = [
        f for f in ("registered", "issued", "cast", "invalid", "valid") if f in mapping
    ]
    numbers: list[list[int]] = []
    row_numbers: list[int] = []
    for offset, raw in enumerate(rows):
        row = list(raw)
        if not any(v is not None and str(v).strip() != "" for v in row):
            continue
        spreadsheet_row = offset + 2
        if len(row) < len(names):
            row += [None] * (len(names) - len(row))

        def cell_text(field_name: str, row: list[Any] = row) -> str:
            if field_name not in mapping:
                return ""
            value = row[position[mapping[field_name]]]
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            return "" if value is None else str(value).strip()

        for key in text:
            text[key].append(cell_text(key))
        label = _label(text["region"][-1], text["district"][-1], text["station"][-1])
        values = []
        for column in [mapping[f] for f in number_fields] + list(options):
            raw_value = row[position[column]]
            value = _lenient_int(raw_value)
            if value is None:
                failures.append(
                    RowFailure(
                        spreadsheet_row, label, NOT_AN_INTEGER, f"{column}: {raw_value!r} read as 0"
                    )
                )
                value = 0
            values.append(value)
        numbers.append(values)
        row_numbers.append(spreadsheet_row)
    matrix = np.array(numbers, dtype=np.int64).reshape(
        len(numbers), len(number_fields) + len(options)
    )
    get = {f: matrix[:, i] for i, f in enumerate(number_fields)}
    votes = np.ascontiguousarray(matrix[:, len(number_fields) :])
    valid_given = "valid" in get
    valid = get["valid"] if valid_given else votes.sum(axis=1)
    if "invalid" in get:
        invalid = get["invalid"]
    elif "cast" in get:
        invalid = get["cast"] - valid
    else:
        invalid = np.zeros_like(valid)
    cast = get.get("cast", valid + invalid)
    issued = get.get("issued", cast.copy())
    region, region_names = _codes(text["region"])
    district, district_names = _codes(text["district"])
    table = ResultsTable(
        layout=layout,
        source=source,
        region=region,
        region_names=region_names,
        district=district,
        district_names=district_names,
        station=text["station"],
        registered=get["registered"],
        issued=issued,
        cast=cast,
        invalid=invalid,
        valid=valid,
        votes=votes,
        options=list(options),
        rows=np.array(row_numbers, dtype=np.int64),
        notes=[f"mapping: {dict(mapping)}"],
    )
    failures += check_arithmetic(
        table,
        valid_given=valid_given,
        issued_given="issued" in get,
        boxes=get["cast"] if "cast" in get and "invalid" in get else None,
    )
    failures += _duplicates(table)
    return _finish(table, failures)


def read_csv_mapped(
    path: str | os.PathLike[str],
    mapping: Mapping[str, str],
    *,
    options: Sequence[str] | None = None,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> ResultsTable:
    """:func:`read_mapped` over a CSV file (or the CSV inside a zip)."""
    with _open_text(path, encoding=encoding) as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        header = next(reader, [])
        rows = list(reader)
    return read_mapped(header, rows, mapping, options=options, source=str(path))


def read_xlsx_mapped(
    path: str | os.PathLike[str],
    mapping: Mapping[str, str],
    *,
    options: Sequence[str] | None = None,
    sheet: str | None = None,
    header_row: int = 1,
) -> ResultsTable:
    """:func:`read_mapped` over a worksheet of an XLSX file (the first, or ``sheet``).

    ``header_row`` is the spreadsheet row of the column names; failure row numbers are the
    worksheet's own. Needs ``openpyxl`` (imported here only).
    """
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
        rows = worksheet.iter_rows(min_row=header_row, values_only=True)
        header = next(rows, ())
        table = read_mapped(header, list(rows), mapping, options=options, source=str(path))
    finally:
        workbook.close()
    if header_row != 1:
        shift = header_row - 1
        table.rows = table.rows + shift
        table.failures = [f._replace(row=f.row + shift) for f in table.failures]
    return table


_READERS = {"russia": read_russia, "albania": read_albania, "georgia": read_georgia}
LAYOUTS = tuple(_READERS)


def read_layout(path: str | os.PathLike[str], layout: str) -> ResultsTable:
    """Read ``path`` with one of :data:`LAYOUTS` (``russia``, ``albania``, ``georgia``)."""
    try:
        reader = _READERS[layout]
    except KeyError:
        raise LayoutError(f"unknown layout {layout!r}; known: {', '.join(_READERS)}") from None
    return reader(path)
