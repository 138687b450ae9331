"""Importing XLSForms: real-world-like workbooks (an NDI-style checklist, a KoBoToolbox survey
in three languages) and the ones that must be refused, each problem named with its row."""

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.roles import Role
from accounts.tests.factories import make_staff
from audit.models import AuditEntry
from elections.tests.factories import ElectionFactory
from questionnaires.engine import check_answers, question_map, questions, validate_schema
from questionnaires.models import Questionnaire, QuestionnaireVersion
from questionnaires.tests.factories import published_questionnaire
from questionnaires.xlsform import import_xlsform, parse_xlsform

LANG_HEADERS = ["label::Azerbaijani (az)", "label::English (en)", "label::Russian (ru)"]
YES_NO_CHOICES = [
    ["yn", "yes", "Bəli", "Yes", "Да"],
    ["yn", "no", "Xeyr", "No", "Нет"],
]


def workbook(survey: list[list], choices: list[list] | None = None, settings=None) -> bytes:
    """An .xlsx made like a person would make it: a survey sheet, a choices sheet, settings."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in survey:
        sheet.append(row)
    if choices is not None:
        sheet = book.create_sheet("choices")
        for row in choices:
            sheet.append(row)
    if settings is not None:
        sheet = book.create_sheet("settings")
        for row in settings:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# An opening and closing checklist in the style of NDI's election-day checklists: groups,
# yes/no questions with skip logic, numbers with ranges, a cross-check between numbers.
NDI_SURVEY = [
    [
        "type",
        "name",
        *LANG_HEADERS,
        "hint::English (en)",
        "required",
        "relevant",
        "constraint",
        "constraint_message::Azerbaijani (az)",
        "constraint_message::English (en)",
        "constraint_message::Russian (ru)",
        "appearance",
    ],
    [
        "begin group",
        "a",
        "Açılış",
        "Opening",
        "Открытие",
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        "field-list",
    ],
    [
        "select_one yn",
        "a1",
        "Məntəqə 08:00-da açıldı?",
        "Did the station open by 08:00?",
        "Участок открылся к 08:00?",
        None,
        "yes",
    ],
    [
        "time",
        "a2",
        "Saat neçədə açıldı?",
        "When did it open?",
        "Во сколько открылся?",
        "HH:MM",
        "yes",
        "${a1} = 'no'",
    ],
    [
        "select_one yn",
        "a3",
        "Qutu boş göstərildi?",
        "Was the ballot box shown empty?",
        "Урну показали пустой?",
        None,
        "yes",
    ],
    [
        "select_multiple materials",
        "a4",
        "Nə çatışmırdı?",
        "What was missing?",
        "Чего не хватало?",
        None,
        "yes",
        "selected(${a1}, 'no') or ${a3} = 'no'",
    ],
    ["end group"],
    ["begin group", "b", "Sayım", "Counting", "Подсчёт"],
    [
        "integer",
        "b1",
        "Qeydiyyatlı seçicilər",
        "Registered voters",
        "Зарегистрированные избиратели",
        "From the protocol",
        "yes",
        None,
        ". >= 0 and . <= 3000",
    ],
    [
        "integer",
        "b2",
        "Səs verənlər",
        "Ballots cast",
        "Проголосовали",
        None,
        "yes",
        None,
        ". >= 0 and . <= ${b1}",
        "Səs verənlər çox ola bilməz",
        "Ballots cast cannot exceed registered voters",
        "Проголосовавших не может быть больше",
    ],
    [
        "integer",
        "b3",
        "Etibarsız",
        "Invalid ballots",
        "Недействительные",
        None,
        "no",
        "${b2} > 0",
        ". < ${b2} + 1",
    ],
    [
        "select_one transparency",
        "b4",
        "Şəffaf idi?",
        "Was the count transparent?",
        "Подсчёт был прозрачным?",
        None,
        "yes",
    ],
    [
        "image",
        "b5",
        "Protokolun şəkli",
        "Photo of the protocol",
        "Фото протокола",
        None,
        None,
        "${b4} != '3'",
    ],
    ["end group"],
]
NDI_CHOICES = [
    ["list_name", "name", *LANG_HEADERS],
    *YES_NO_CHOICES,
    ["materials", "ballots", "Bülletenlər", "Ballots", "Бюллетени"],
    ["materials", "ink", "Mürəkkəb", "Ink", "Чернила"],
    ["materials", "seals", "Plomblar", "Seals", "Пломбы"],
    ["transparency", "1", "Tam", "Fully", "Полностью"],
    ["transparency", "2", "Qismən", "Partly", "Частично"],
    ["transparency", "3", "Yox", "Not at all", "Нет"],
]
NDI_SETTINGS = [
    ["form_title", "form_id", "default_language"],
    ["Açılış və sayım", "ndi_checklist", "Azerbaijani (az)"],
]


def ndi() -> bytes:
    return workbook(NDI_SURVEY, NDI_CHOICES, NDI_SETTINGS)


# A survey as KoBoToolbox exports it: metadata fields, a plain label and translations, notes,
# questions outside any group, lowercase names.
KOBO_SURVEY = [
    [
        "type",
        "name",
        "label",
        "label::English (en)",
        "label::Russian (ru)",
        "hint",
        "required",
        "relevant",
    ],
    ["start", "start"],
    ["end", "end"],
    ["today", "today"],
    ["deviceid", "deviceid"],
    ["note", "intro", "Sorğuya xoş gəlmisiniz", "Welcome to the survey", "Добро пожаловать"],
    ["select_one gender", "q1", "Cinsiniz", "Your gender", "Ваш пол", None, "true"],
    ["integer", "q2", "Yaşınız", "Your age", "Ваш возраст", "İllərlə", "yes"],
    ["begin_group", "media", "Media", "Media", "СМИ"],
    [
        "select_multiple sources",
        "q3",
        "Xəbərləri haradan alırsınız?",
        "Where do you get news?",
        "Откуда вы узнаёте новости?",
    ],
    [
        "text",
        "q4",
        "Hansı saytlar?",
        "Which websites?",
        "Какие сайты?",
        None,
        None,
        "selected(${q3}, 'web') and count-selected(${q3}) >= 1",
    ],
    ["end_group"],
    [
        "select_one yn",
        "q5",
        "Səs verəcəksiniz?",
        "Will you vote?",
        "Будете голосовать?",
        None,
        "yes",
    ],
    [
        "text",
        "q6",
        "Niyə yox?",
        "Why not?",
        "Почему нет?",
        None,
        None,
        "${q5} = 'no' and ${q2} >= 18 and ${q4} = '' or not(${q1} != 'f')",
    ],
]
KOBO_CHOICES = [
    ["list_name", "name", "label", "label::English (en)", "label::Russian (ru)"],
    ["gender", "f", "Qadın", "Female", "Женский"],
    ["gender", "m", "Kişi", "Male", "Мужской"],
    ["sources", "tv", "Televiziya", "Television", "Телевидение"],
    ["sources", "web", "İnternet", "Internet", "Интернет"],
    ["sources", "friends", "Tanışlar", "Friends", "Знакомые"],
    ["yn", "yes", "Bəli", "Yes", "Да"],
    ["yn", "no", "Xeyr", "No", "Нет"],
]


def kobo() -> bytes:
    return workbook(KOBO_SURVEY, KOBO_CHOICES)


def errors(data: bytes) -> list[tuple[str, int, str]]:
    result = parse_xlsform(data)
    assert not result.ok and result.schema is None
    return [(problem.sheet, problem.row, problem.message) for problem in result.errors]


# --- Forms that import ------------------------------------------------------------------------


def test_an_ndi_style_checklist_imports_with_groups_skip_logic_ranges_and_rules():
    result = parse_xlsform(ndi())
    assert result.ok, [str(e) for e in result.errors]
    assert result.title == "Açılış və sayım"
    schema = result.schema
    assert validate_schema(schema) == []
    assert [section["code"] for section in schema["sections"]] == ["A", "B"]
    assert schema["sections"][0]["label"] == {"az": "Açılış", "en": "Opening", "ru": "Открытие"}
    by_code = question_map(schema)
    assert list(by_code) == ["A1", "A2", "A3", "A4", "B1", "B2", "B3", "B4", "B5"]
    # A list of exactly yes and no is a yes/no question.
    assert by_code["A1"]["type"] == "yes_no" and by_code["A1"]["required"] is True
    assert by_code["A1"]["label"]["ru"] == "Участок открылся к 08:00?"
    assert by_code["A2"] == {
        "code": "A2",
        "type": "time",
        "label": {
            "az": "Saat neçədə açıldı?",
            "en": "When did it open?",
            "ru": "Во сколько открылся?",
        },
        "hint": {"en": "HH:MM"},
        "required": True,
        "relevant": "A1 == no",
    }
    assert by_code["A4"]["type"] == "multiple"
    assert [o["value"] for o in by_code["A4"]["options"]] == ["ballots", "ink", "seals"]
    assert by_code["A4"]["relevant"] == "A1 == no or A3 == no"
    assert (by_code["B1"]["min"], by_code["B1"]["max"]) == (0, 3000)
    assert by_code["B1"]["hint"] == {"en": "From the protocol"}
    assert by_code["B2"]["min"] == 0 and "max" not in by_code["B2"]
    assert "required" not in by_code["B3"] and by_code["B3"]["relevant"] == "B2 > 0"
    assert by_code["B4"]["type"] == "single"
    assert by_code["B5"]["type"] == "photo" and by_code["B5"]["relevant"] == "B4 != '3'"
    assert schema["rules"] == [
        {
            "code": "R1",
            "check": "B2 <= B1",
            "questions": ["B2", "B1"],
            "message": {
                "az": "Səs verənlər çox ola bilməz",
                "en": "Ballots cast cannot exceed registered voters",
                "ru": "Проголосовавших не может быть больше",
            },
        },
        {
            "code": "R2",
            "check": "B3 < B2 + 1",
            "questions": ["B3", "B2"],
            # The default message, in each language.
            "message": {
                "az": "B3 sualının cavabı onun şərtinə uyğun gəlmir.",
                "en": "The answer to B3 does not meet its condition.",
                "ru": "Ответ на B3 не удовлетворяет условию.",
            },
        },
    ]
    assert result.warnings == []


def test_the_imported_checklist_judges_answers_like_the_original():
    schema = parse_xlsform(ndi()).schema
    checked = check_answers(
        schema, {"A1": "no", "A2": "8:20", "A3": "y", "A4": "ink", "B1": 900, "B2": 950, "B4": "1"}
    )
    assert checked.errors == {"R1": ["Ballots cast cannot exceed registered voters"]}
    checked = check_answers(schema, {"A1": "yes", "A3": "yes", "B1": 900, "B2": 0, "B4": "3"})
    assert checked.ok and set(checked.answers) == {"A1", "A3", "B1", "B2", "B4"}


def test_a_kobo_survey_in_three_languages_imports_leaving_out_metadata_and_notes():
    result = parse_xlsform(kobo())
    assert result.ok, [str(e) for e in result.errors]
    schema = result.schema
    assert validate_schema(schema) == []
    # Questions outside groups keep their place, in "General" sections around the group.
    assert [section["code"] for section in schema["sections"]] == ["GENERAL", "MEDIA", "GENERAL2"]
    assert [[q["code"] for q in s["questions"]] for s in schema["sections"]] == [
        ["Q1", "Q2"],
        ["Q3", "Q4"],
        ["Q5", "Q6"],
    ]
    assert schema["sections"][0]["label"]["en"] == "General"
    by_code = question_map(schema)
    # The plain label is the default language, Azerbaijani.
    assert by_code["Q1"]["label"] == {"az": "Cinsiniz", "en": "Your gender", "ru": "Ваш пол"}
    assert by_code["Q1"]["options"][0] == {
        "value": "f",
        "label": {"az": "Qadın", "en": "Female", "ru": "Женский"},
    }
    assert by_code["Q2"]["hint"] == {"az": "İllərlə"}
    assert by_code["Q4"]["relevant"] == "selected(Q3, 'web') and count(Q3) >= 1"
    assert by_code["Q5"]["type"] == "yes_no"
    assert by_code["Q6"]["relevant"] == (
        "Q5 == no and Q2 >= 18 and not answered(Q4) or not (Q1 != 'f')"
    )
    warnings = [(w.row, w.message) for w in result.warnings]
    assert warnings == [
        (2, "start (start) was left out: reports record when and from where they were sent."),
        (3, "end (end) was left out: reports record when and from where they were sent."),
        (4, "today (today) was left out: reports record when and from where they were sent."),
        (5, "deviceid (deviceid) was left out: reports record when and from where they were sent."),
        (6, "The note intro was left out."),
    ]


def test_the_skip_logic_of_the_kobo_survey_works_after_import():
    schema = parse_xlsform(kobo()).schema
    checked = check_answers(schema, {"Q1": "m", "Q2": "30", "Q3": "tv", "Q5": "no", "Q6": "busy"})
    assert checked.ok and checked.answers["Q6"] == "busy"
    checked = check_answers(
        schema, {"Q1": "m", "Q2": "30", "Q3": "tv,web", "Q4": "x", "Q5": "no", "Q6": "busy"}
    )
    assert "Q6" not in checked.answers  # Q4 answered, and Q1 is not f


def test_languages_can_be_named_without_codes_and_unknown_ones_are_reported():
    data = workbook(
        [
            [
                "type",
                "name",
                "label::Azerbaijani",
                "label::English",
                "label::Русский",
                "label::French (fr)",
            ],
            ["text", "t1", "Ad", "Name", "Имя", "Nom"],
        ]
    )
    result = parse_xlsform(data)
    assert result.ok
    assert question_map(result.schema)["T1"]["label"] == {"az": "Ad", "en": "Name", "ru": "Имя"}
    assert [w.message for w in result.warnings] == [
        "Texts in the language “French (fr)” were left out: forms here are in Azerbaijani, "
        "English and Russian."
    ]


# --- Forms that must be refused ---------------------------------------------------------------


def test_a_repeat_group_is_refused_with_its_row():
    data = workbook(
        [
            ["type", "name", "label"],
            ["integer", "a1", "Voters"],
            ["begin repeat", "people", "Each person"],
            ["text", "p1", "Name"],
            ["end repeat"],
        ]
    )
    assert errors(data) == [
        ("survey", 3, "“people” is a repeat group (begin repeat), which is not supported.")
    ]


def test_a_calculate_is_refused():
    data = workbook(
        [
            ["type", "name", "label", "calculation"],
            ["integer", "a1", "Registered"],
            ["integer", "a2", "Cast"],
            ["calculate", "turnout", None, "${a2} div ${a1}"],
        ]
    )
    assert errors(data) == [
        (
            "survey",
            4,
            "turnout has the type “calculate”, which is not supported (calculations are not "
            "supported).",
        )
    ]


def test_a_decimal_is_refused_with_advice():
    data = workbook([["type", "name", "label"], ["decimal", "a1", "Share of turnout"]])
    assert errors(data) == [
        (
            "survey",
            2,
            "a1 has the type “decimal”, which is not supported (use integer: decimal numbers "
            "are not supported).",
        )
    ]


@pytest.mark.parametrize(
    ("relevant", "problem"),
    [
        (
            "string-length(${a1}) > 3",
            "the function string-length() is not supported (use selected(), count-selected(), "
            "not(), true() or false())",
        ),
        ("${a1} = 'maybe'", "“maybe” is not a choice of a1"),
        ("${zz} = 'yes'", None),  # pyxform itself refuses an unknown ${name}
        ("${a1} = 'yes' and", "it ends too early"),
        ("(${a1} = 'yes'", "a bracket is not closed"),
        ("/data/a1 = 'yes'", "“/” is not supported: name other questions as ${name}"),
        ("${a1} = 'yes' mod 2", "mod is not supported"),
        (". = 'yes'", "“.” can only be used in a constraint"),
    ],
)
def test_a_relevant_that_cannot_be_converted_is_refused_with_its_row(relevant, problem):
    data = workbook(
        [
            ["type", "name", "label", "relevant"],
            ["select_one yn", "a1", "Open?"],
            ["text", "a2", "Why?", relevant],
        ],
        [["list_name", "name", "label"], ["yn", "yes", "Yes"], ["yn", "no", "No"]],
    )
    found = errors(data)
    assert len(found) == 1
    if problem is None:
        assert found[0][1] == 0 and "zz" in found[0][2]
    else:
        assert found == [("survey", 3, f"The relevant cannot be imported: {problem}")]


def test_a_skip_logic_that_names_a_later_question_is_refused():
    data = workbook(
        [
            ["type", "name", "label", "relevant"],
            ["text", "a1", "First", "${a2} != ''"],
            ["text", "a2", "Second"],
        ]
    )
    assert errors(data) == [
        (
            "survey",
            0,
            "The skip logic of A1 can only use answers to earlier questions, not A2.",
        )
    ]


def test_names_that_cannot_be_question_codes_are_refused_with_their_rows():
    data = workbook(
        [
            ["type", "name", "label"],
            ["text", "opened_on_time", "Opened on time?"],
            ["integer", "b1", "Voters"],
            ["integer", "b1234", "Too many digits"],
            ["text", "B1", "Same code as b1"],
        ]
    )
    found = errors(data)
    assert [row for _sheet, row, _message in found] == [2, 4, 5]
    assert "The name “opened_on_time” cannot be a question code" in found[0][2]
    assert found[2][2] == "The question code B1 is used twice."


def test_every_unsupported_feature_is_listed_at_once():
    data = workbook(
        [
            ["type", "name", "label", "required", "calculation", "choice_filter"],
            ["date", "d1", "Date"],
            ["geopoint", "g1", "Where?"],
            ["select_one_from_file stations.csv", "s1", "Station"],
            ["select_one yn or_other", "y1", "Open?"],
            ["note", "n1", "Total", None, "1 + 1"],
            ["integer", "i1", "Voters", "${y1} = 'yes'"],
            ["select_one yn", "y2", "Again?", None, None, "name = 'yes'"],
            ["text", "t1", "Name", None, "concat('a', 'b')"],
            ["range", "r1", "Scale"],
        ],
        [["list_name", "name", "label"], ["yn", "yes", "Yes"], ["yn", "no", "No"]],
    )
    found = {row: message for _sheet, row, message in errors(data)}
    assert found == {
        2: "d1 has the type “date”, which is not supported (dates are not supported).",
        3: "g1 has the type “geopoint”, which is not supported (locations are not supported).",
        4: "s1 takes its choices from a file (stations.csv), which is not supported: put them "
        "on the choices sheet.",
        5: "y1 uses or_other, which is not supported: add an “other” choice.",
        6: "The note n1 has a calculation, which is not supported.",
        7: "i1 is required only under a condition, which is not supported: write yes or no.",
        8: "y2 has a choice filter, which is not supported.",
        9: "t1 has a calculation, which is not supported.",
        10: "r1 has the type “range”, which is not supported.",
    }


def test_a_choice_name_that_cannot_be_an_option_value_is_refused_on_the_choices_sheet():
    data = workbook(
        [["type", "name", "label"], ["select_one places", "p1", "Where?"]],
        [
            ["list_name", "name", "label"],
            ["places", "inside", "Inside"],
            ["places", "out-side", "Outside"],
        ],
    )
    assert errors(data) == [
        (
            "choices",
            3,
            "The choice name “out-side” of list places is not valid: use up to 20 letters, "
            "digits or _.",
        )
    ]


def test_a_workbook_that_is_not_a_valid_xlsform_is_refused_with_pyxform_s_reason():
    data = workbook([["type", "name", "label"], ["begin group", "g", "Group"], ["text", "t1", "x"]])
    found = errors(data)
    assert found[0][1] == 0 and found[0][2].startswith("The workbook is not a valid XLSForm:")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (
            b"type,name,label\ntext,a1,Name\n",
            "This is not an Excel workbook (.xlsx). Save the XLSForm as .xlsx and try again.",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
            "This is an old Excel file (.xls). Save it as an Excel workbook (.xlsx) first.",
        ),
        (
            b"PK\x03\x04 broken zip",
            "This is not an Excel workbook (.xlsx). Save the XLSForm as .xlsx and try again.",
        ),
    ],
)
def test_a_file_that_is_not_an_xlsx_workbook_is_refused(data, message):
    assert errors(data) == [("survey", 0, message)]


def test_a_zip_that_is_not_a_workbook_is_refused():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hello")
    assert errors(buffer.getvalue())[0][2].startswith("This is not an Excel workbook")


def test_a_workbook_without_questions_is_refused():
    assert errors(workbook([["type", "name", "label"]])) == [
        ("survey", 0, "The workbook has no survey sheet with questions.")
    ]
    only_notes = workbook([["type", "name", "label"], ["note", "n1", "Hello"]])
    assert ("survey", 0, "The form has no questions to import.") in errors(only_notes)


# --- The import service ---------------------------------------------------------------------


@pytest.mark.django_db
def test_importing_creates_a_draft_form_and_audits_it():
    coordinator = make_staff(Role.COORDINATOR)
    election = ElectionFactory()
    upload = SimpleUploadedFile("ndi-checklist.xlsx", ndi())
    outcome = import_xlsform(
        upload, actor=coordinator, election=election, kind="closing_counting", code="cl"
    )
    assert outcome.ok
    questionnaire = outcome.questionnaire
    assert questionnaire.code == "CL" and questionnaire.name_az == "Açılış və sayım"
    assert questionnaire.status == Questionnaire.Status.DRAFT
    version = questionnaire.versions.get()
    assert not version.is_published and version.note == "Imported from ndi-checklist.xlsx"
    assert len(questions(version.schema)) == 9
    entry = AuditEntry.objects.for_object(questionnaire).get(action=AuditEntry.Action.IMPORT)
    assert entry.changes["source"] == "ndi-checklist.xlsx" and entry.changes["questions"] == 9


@pytest.mark.django_db
def test_an_import_with_problems_writes_nothing():
    coordinator = make_staff(Role.COORDINATOR)
    data = workbook([["type", "name", "label"], ["decimal", "a1", "Share"]])
    outcome = import_xlsform(
        SimpleUploadedFile("bad.xlsx", data), actor=coordinator, kind="opening", code="OP"
    )
    assert not outcome.ok and outcome.questionnaire is None
    assert not Questionnaire.objects.exists() and not QuestionnaireVersion.objects.exists()
    assert not AuditEntry.objects.filter(content_type__app_label="questionnaires").exists()


@pytest.mark.django_db
def test_an_import_under_a_code_already_taken_is_refused_and_writes_nothing():
    coordinator = make_staff(Role.COORDINATOR)
    existing = published_questionnaire(code="OP")
    with pytest.raises(ValidationError) as error:
        import_xlsform(
            SimpleUploadedFile("ndi.xlsx", ndi()),
            actor=coordinator,
            election=existing.election,
            kind="opening",
            code="OP",
            name_az="Açılış",
        )
    assert "code" in error.value.message_dict
    assert Questionnaire.objects.count() == 1
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).exists()


@pytest.mark.django_db
def test_an_import_into_a_form_makes_its_new_draft():
    coordinator = make_staff(Role.COORDINATOR)
    questionnaire = published_questionnaire()
    outcome = import_xlsform(
        io.BytesIO(kobo()), actor=coordinator, kind="voting", questionnaire=questionnaire
    )
    assert outcome.ok and outcome.version.number == 2 and not outcome.version.is_published
    assert "Q6" in question_map(outcome.version.schema)
    questionnaire.refresh_from_db()
    assert questionnaire.current_version.number == 1
