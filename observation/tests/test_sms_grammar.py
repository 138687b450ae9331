"""The SMS report grammar (observation.sms): hand-written examples of what observers type, and
properties checked by Hypothesis on generated reports and arbitrary text."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from observation import sms
from observation.sms import SmsParseError, SmsReport, format_report, parse


def report(form="OP", number=1042, station=None, **answers):
    return SmsReport(form, number, station, answers)


# --- Examples -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "OP 1042 A1 Y A2 0715 B1 350 C3 1,3",
            report(A1="Y", A2="0715", B1="350", C3="1,3"),
        ),
        (
            "op1042 a1y, a2=07:15; b1:350 c3 1,3 -- Elvin Məmmədov",
            report(A1="Y", A2="07:15", B1="350", C3="1,3"),
        ),
        ("OP 1042 @12-034 A1 Y B1 350", report(station="12-034", A1="Y", B1="350")),
        ("OP 1042 A1 Y @ 12-034", report(station="12-034", A1="Y")),
        ("OP-0042 A1=N", report(number=42, A1="N")),
        ("OP #1042 A1: HƏ", report(A1="HƏ")),
        # A Russian keyboard: the codes are read as Latin, the answers keep their letters.
        ("ОР №1042 А1 да В1 350", report(A1="ДА", B1="350")),
        ("OP 1042 T1 “Queue outside, 30 people”", report(T1="Queue outside, 30 people")),
        ('OP 1042 T1 "" A1 Y', report(T1="", A1="Y")),
        ("OP 1042 A1 Y.\nB1 350.", report(A1="Y.", B1="350.")),
        ("  OP   1042\n\nA1\tY ;; B1   350 ,", report(A1="Y", B1="350")),
        ("CL 7 AB Y ABC12-NO", report(form="CL", number=7, AB="Y", ABC12="NO")),
        ("V 1 A1Y A2N A3BƏLİ", report(form="V", number=1, A1="Y", A2="N", A3="BƏLİ")),
    ],
)
def test_examples_are_read(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "code", "position", "detail"),
    [
        ("", sms.EMPTY, 0, ""),
        (" ,; ", sms.EMPTY, 4, ""),
        ("-- Elvin", sms.EMPTY, 0, ""),
        ("1042 OP A1 Y", sms.FORM_CODE, 0, "1042"),
        ("OPENS 1042 A1 Y", sms.FORM_CODE, 0, "OPENS"),
        ("OP A1 Y", sms.OBSERVER_NUMBER, 3, "A1"),
        ("OP 0 A1 Y", sms.OBSERVER_NUMBER, 3, "0"),
        ("OP 1234567890 A1 Y", sms.OBSERVER_NUMBER, 3, "1234567890"),
        ("OP 1042", sms.NO_ANSWERS, 7, ""),
        ("OP 1042 -- Elvin", sms.NO_ANSWERS, 8, ""),
        ("OP 1042 B1350", sms.SEPARATOR, 8, "B1350"),
        ("OP 1042 A1 Y ABCD N", sms.QUESTION_CODE, 13, "ABCD"),
        ("OP 1042 A1 Y 12 N", sms.QUESTION_CODE, 13, "12"),
        ("OP 1042 AY", sms.MISSING_VALUE, 8, "AY"),
        ("OP 1042 A1 Y B2", sms.MISSING_VALUE, 13, "B2"),
        ("OP 1042 A1, B2 N", sms.MISSING_VALUE, 8, "A1"),
        ("OP 1042 A1 -- Elvin", sms.MISSING_VALUE, 8, "A1"),
        ("OP 1042 A1 Y A1 N", sms.DUPLICATE_QUESTION, 13, "A1"),
        ("OP 1042 a1 Y А1 N", sms.DUPLICATE_QUESTION, 13, "A1"),  # Cyrillic А
        ('OP 1042 T1 "no end', sms.UNCLOSED_QUOTE, 11, ""),
        ("OP 1042 @12-034 A1 Y @12-035", sms.DUPLICATE_STATION, 21, "@12-035"),
        ("OP 1042 @, A1 Y", sms.STATION, 8, "@,"),
        ("OP 1042 @12-034! A1 Y", sms.STATION, 8, "@12-034!"),
        ("OP 1042 A1 " + "Y" * 1600, sms.TOO_LONG, sms.MAX_LENGTH, ""),
    ],
)
def test_what_is_wrong_is_named_with_its_place(text, code, position, detail):
    with pytest.raises(SmsParseError) as caught:
        parse(text)
    assert (caught.value.code, caught.value.position, caught.value.detail) == (
        code,
        position,
        detail,
    )


def test_the_canonical_form_is_upper_case_with_single_spaces():
    text = format_report(
        report(station="12-034", A1="Y", B1="350", C3="1,3", T1="Queue, 30 people", T2="")
    )
    assert text == 'OP 1042 @12-034 A1 Y B1 350 C3 1,3 T1 "Queue, 30 people" T2 ""'


@pytest.mark.parametrize(
    "bad",
    [
        report(form="op", A1="Y"),
        report(form="OPENS", A1="Y"),
        report(number=0, A1="Y"),
        report(number=True, A1="Y"),
        report(station="12 034", A1="Y"),
        report(),
        SmsReport("OP", 1042, None, {"a1": "Y"}),
        SmsReport("OP", 1042, None, {"A1234": "Y"}),
        report(T1='say "hello"'),
    ],
)
def test_a_report_no_sms_can_carry_is_refused_by_the_formatter(bad):
    with pytest.raises(ValueError):
        format_report(bad)


# --- Properties ---------------------------------------------------------------------------

# No timing in tests: a loaded machine must not fail a property (deadline, slow generation).
untimed = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

form_codes = st.from_regex(r"[A-Z]{1,4}", fullmatch=True)
numbers = st.integers(1, sms.MAX_OBSERVER_NUMBER)
stations = st.none() | st.from_regex(r"[A-Z0-9]{1,4}([-/.][A-Z0-9]{1,4}){0,2}", fullmatch=True)
question_codes = st.from_regex(r"[A-Z]{1,3}[0-9]{0,3}", fullmatch=True)
# Any text at all, except quotation marks, which no SMS value can hold.
any_values = st.text(st.characters(exclude_characters=sms.QUOTES), max_size=30)
# What observers send without quotes: words, numbers, times, lists of choices.
PLAIN = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ƏÖÜĞŞÇ"
plain_values = st.one_of(
    st.text(PLAIN, min_size=1, max_size=8),
    st.from_regex(r"[0-9]{1,2}:[0-9]{2}", fullmatch=True),
    st.lists(st.from_regex(r"[0-9]{1,2}", fullmatch=True), min_size=1, max_size=4).map(",".join),
)


def reports(values):
    return st.builds(
        SmsReport,
        form_codes,
        numbers,
        stations,
        st.dictionaries(question_codes, values, min_size=1, max_size=8),
    )


@untimed
@given(reports(any_values))
def test_format_then_parse_gives_the_report_back(generated):
    parsed = parse(format_report(generated))
    assert parsed == generated
    assert list(parsed.answers) == list(generated.answers)  # in the order sent


@untimed
@given(st.text(max_size=120))
def test_parse_on_any_text_raises_nothing_but_a_parse_error(text):
    _parse_totally(text)


@untimed
@given(st.text('OPAB123 0,;.=:-@"“»YNДА—\n', max_size=40))
def test_parse_on_report_like_text_raises_nothing_but_a_parse_error(text):
    _parse_totally(text)


def _parse_totally(text):
    try:
        parsed = parse(text)
    except SmsParseError as error:
        assert error.code in sms.ERROR_CODES
        assert 0 <= error.position <= max(len(text), sms.MAX_LENGTH)
    else:
        # Whatever is read can be written canonically and read back the same.
        assert parse(format_report(parsed)) == parsed


@st.composite
def typed_by_hand(draw):
    """A report with plain values, written as a person might: any mix of the separators the
    grammar allows, the station anywhere, perhaps a signature. Returns (report, text)."""
    generated = draw(reports(plain_values))
    header_gap = draw(st.sampled_from(["", " ", "  ", "-", " #", " №", "\t", "=", ": "]))
    parts = [generated.form_code + header_gap + str(generated.observer_number)]
    pairs = []
    for code, value in generated.answers.items():
        gaps = [" ", "  ", "=", " = ", ":", ": ", "-", "\t", "\n"]
        if code[-1].isdigit() and value[0].isalpha():
            gaps.append("")
        pairs.append(code + draw(st.sampled_from(gaps)) + value)
    if generated.station_code is not None:
        where = draw(st.integers(0, len(pairs)))
        pairs.insert(where, "@" + draw(st.sampled_from(["", " "])) + generated.station_code)
    text = parts[0]
    for pair in pairs:
        text += draw(st.sampled_from([" ", "  ", "\n", ", ", ";", " ; ", "\r\n", " ,\n"])) + pair
    if draw(st.booleans()):
        text += draw(st.sampled_from([" -- ", "\n--", " — ", "\n– "])) + draw(st.text(max_size=20))
    return generated, text


@untimed
@given(typed_by_hand())
def test_spacing_and_separators_do_not_change_the_report(case):
    generated, text = case
    assert parse(text) == generated


@untimed
@given(typed_by_hand(), st.data())
def test_letter_case_does_not_change_the_report(case, data):
    generated, text = case
    mixed = "".join(
        char.lower() if data.draw(st.booleans(), label="lower") else char for char in text
    )
    assert parse(mixed) == generated


CYRILLIC = {latin: cyrillic for cyrillic, latin in sms.LOOKALIKES.items() if cyrillic != "İ"}


@untimed
@given(typed_by_hand(), st.data())
def test_cyrillic_look_alikes_read_as_latin_letters(case, data):
    generated, text = case
    mangled = "".join(
        CYRILLIC[char] if char in CYRILLIC and data.draw(st.booleans(), label="swap") else char
        for char in text
    )
    parsed = parse(mangled)
    assert (parsed.form_code, parsed.observer_number, parsed.station_code) == (
        generated.form_code,
        generated.observer_number,
        generated.station_code,
    )
    # Answers keep the letters typed; read as Latin they are the ones sent.
    assert {code: sms.to_latin(value) for code, value in parsed.answers.items()} == (
        generated.answers
    )
