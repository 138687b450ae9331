"""Demo forms for the active demo elections (elections.demo): the opening (OP), voting (VT) and
closing and counting (CL) checklists and the incident form (IN), published and active, in
Azerbaijani, English and Russian.

The questions follow the checklists citizen observer groups use on election day. Deterministic,
and running it again changes nothing; if a form here changes, the next run publishes it as a new
version (reports already sent keep theirs).
"""

from django.db import transaction

from elections.demo import PARLIAMENTARY, PRESIDENTIAL
from elections.models import Election
from questionnaires import services
from questionnaires.models import Questionnaire


def _t(az: str, en: str, ru: str) -> dict:
    return {"az": az, "en": en, "ru": ru}


def _yes_no(code: str, text: dict, *, alert_on: str | None = None, **extra) -> dict:
    question = {"code": code, "type": "yes_no", "label": text, "required": True, **extra}
    if alert_on:
        question["alert"] = f"{code} == {alert_on}"
    return question


def _number(code: str, text: dict, low: int, high: int, **extra) -> dict:
    return {"code": code, "type": "number", "label": text, "min": low, "max": high, **extra}


def _options(*labels: tuple[str, str, str]) -> list[dict]:
    return [{"value": str(n), "label": _t(*text)} for n, text in enumerate(labels, start=1)]


COMMENTS = _t("Şərhlər", "Comments", "Комментарии")

OPENING = {
    "sections": [
        {
            "code": "A",
            "label": _t("Gəliş və açılış", "Arrival and opening", "Прибытие и открытие"),
            "questions": [
                _yes_no(
                    "A1",
                    _t(
                        "Sizi seçki məntəqəsinə buraxdılar?",
                        "Were you allowed into the polling station?",
                        "Вас допустили на избирательный участок?",
                    ),
                    alert_on="no",
                ),
                {
                    "code": "A2",
                    "type": "time",
                    "label": _t(
                        "Məntəqəyə saat neçədə gəldiniz?",
                        "What time did you arrive at the station?",
                        "Во сколько вы прибыли на участок?",
                    ),
                    "required": True,
                },
                _yes_no(
                    "A3",
                    _t(
                        "Məntəqə vaxtında (08:00) açıldı?",
                        "Did the station open on time (08:00)?",
                        "Участок открылся вовремя (в 08:00)?",
                    ),
                    alert_on="no",
                ),
                {
                    "code": "A4",
                    "type": "time",
                    "label": _t(
                        "Məntəqə saat neçədə açıldı?",
                        "What time did the station open?",
                        "Во сколько открылся участок?",
                    ),
                    "required": True,
                    "relevant": "A3 == no",
                },
            ],
        },
        {
            "code": "B",
            "label": _t(
                "Materiallar və seçki qutusu",
                "Materials and ballot box",
                "Материалы и урна для голосования",
            ),
            "questions": [
                _yes_no(
                    "B1",
                    _t(
                        "Bütün zəruri materiallar var idi (bülletenlər, seçici siyahısı, "
                        "möhürlər, mürəkkəb, kabinələr)?",
                        "Were all essential materials present (ballots, voter list, stamps, "
                        "ink, booths)?",
                        "Все ли необходимые материалы были на месте (бюллетени, список "
                        "избирателей, печати, чернила, кабины)?",
                    ),
                    alert_on="no",
                ),
                {
                    "code": "B2",
                    "type": "multiple",
                    "label": _t(
                        "Hansı materiallar çatışmırdı?",
                        "Which materials were missing?",
                        "Каких материалов не хватало?",
                    ),
                    "required": True,
                    "relevant": "B1 == no",
                    "options": _options(
                        ("Bülletenlər", "Ballots", "Бюллетени"),
                        ("Seçici siyahısı", "Voter list", "Список избирателей"),
                        ("Möhürlər və plomblar", "Stamps and seals", "Печати и пломбы"),
                        (
                            "Görünməz mürəkkəb və ya UB lampa",
                            "Invisible ink or UV lamp",
                            "Невидимые чернила или УФ-лампа",
                        ),
                        ("Səsvermə kabinələri", "Voting booths", "Кабины для голосования"),
                        ("Protokol blankları", "Protocol forms", "Бланки протоколов"),
                    ),
                },
                _yes_no(
                    "B3",
                    _t(
                        "Seçki qutusu möhürlənməzdən əvvəl boş olduğu göstərildi?",
                        "Was the ballot box shown to be empty before it was sealed?",
                        "Была ли урна показана пустой перед опечатыванием?",
                    ),
                    alert_on="no",
                ),
                _yes_no(
                    "B4",
                    _t(
                        "Seçki qutusu düzgün möhürləndi?",
                        "Was the ballot box properly sealed?",
                        "Была ли урна надлежащим образом опечатана?",
                    ),
                    alert_on="no",
                ),
                _number(
                    "B5",
                    _t(
                        "Məntəqə seçki komissiyasının neçə üzvü iştirak edirdi?",
                        "How many members of the precinct election commission were present?",
                        "Сколько членов участковой избирательной комиссии присутствовало?",
                    ),
                    0,
                    30,
                    required=True,
                ),
            ],
        },
        {
            "code": "C",
            "label": _t(
                "Müşahidəçilər və şərait", "Observers and environment", "Наблюдатели и обстановка"
            ),
            "questions": [
                _yes_no(
                    "C1",
                    _t(
                        "Digər müşahidəçilərə açılış prosedurlarını izləməyə icazə verildi?",
                        "Were other observers allowed to watch the opening procedures?",
                        "Было ли другим наблюдателям разрешено наблюдать за процедурой открытия?",
                    ),
                    alert_on="no",
                ),
                _yes_no(
                    "C2",
                    _t(
                        "Məntəqədə kənar şəxslər (polis, yerli icra hakimiyyəti nümayəndələri) "
                        "var idi?",
                        "Were unauthorised persons (police, local officials) present inside "
                        "the station?",
                        "Присутствовали ли на участке посторонние лица (полиция, представители "
                        "местной власти)?",
                    ),
                    alert_on="yes",
                ),
                {"code": "C3", "type": "text", "label": COMMENTS},
            ],
        },
    ],
    "rules": [],
}

VOTING = {
    "sections": [
        {
            "code": "A",
            "label": _t("Seçici fəallığı", "Turnout", "Явка"),
            "questions": [
                {
                    "code": "A1",
                    "type": "time",
                    "label": _t(
                        "Saat neçə üçün məlumat verirsiniz?",
                        "What time is this report for?",
                        "На какое время вы сообщаете данные?",
                    ),
                    "required": True,
                },
                _number(
                    "A2",
                    _t(
                        "Məntəqənin seçici siyahısında neçə seçici var?",
                        "How many voters are on the station's voter list?",
                        "Сколько избирателей в списке участка?",
                    ),
                    0,
                    3000,
                    required=True,
                ),
                _number(
                    "A3",
                    _t(
                        "İndiyədək neçə seçici səs verib?",
                        "How many voters have voted so far?",
                        "Сколько избирателей уже проголосовало?",
                    ),
                    0,
                    3000,
                    required=True,
                ),
            ],
        },
        {
            "code": "B",
            "label": _t("Pozuntular", "Irregularities", "Нарушения"),
            "questions": [
                _yes_no(
                    "B1",
                    _t(
                        "Seçicilərə təzyiq və ya hədə gördünüz?",
                        "Did you see voters being pressured or intimidated?",
                        "Видели ли вы давление на избирателей или запугивание?",
                    ),
                    alert_on="yes",
                ),
                _yes_no(
                    "B2",
                    _t(
                        "Seçici siyahısında olmayan şəxslərin səs verdiyini gördünüz?",
                        "Did you see people vote who were not on the voter list?",
                        "Видели ли вы, как голосовали люди, не включённые в список избирателей?",
                    ),
                    alert_on="yes",
                ),
                _yes_no(
                    "B3",
                    _t(
                        "Təkrar səsvermə və ya «karusel» gördünüz?",
                        "Did you see multiple or “carousel” voting?",
                        "Видели ли вы многократное голосование или «карусель»?",
                    ),
                    alert_on="yes",
                ),
                _yes_no(
                    "B4",
                    _t(
                        "Seçki qutusuna bülleten doldurulmasını gördünüz?",
                        "Did you see ballot box stuffing?",
                        "Видели ли вы вброс бюллетеней?",
                    ),
                    alert_on="yes",
                ),
                _yes_no(
                    "B5",
                    _t(
                        "Seçicilərin barmaqları yoxlanılır və mürəkkəblə işarələnirdi?",
                        "Were voters' fingers checked and marked with ink?",
                        "Проверялись ли и помечались ли чернилами пальцы избирателей?",
                    ),
                    alert_on="no",
                ),
                _yes_no(
                    "B6",
                    _t(
                        "Səsvermənin gizliliyi təmin olunurdu?",
                        "Was the secrecy of the vote respected?",
                        "Соблюдалась ли тайна голосования?",
                    ),
                    alert_on="no",
                ),
                {
                    "code": "B7",
                    "type": "text",
                    "label": _t(
                        "Nə gördüyünüzü təsvir edin",
                        "Describe what you saw",
                        "Опишите, что вы видели",
                    ),
                    "required": True,
                    "relevant": "B1 == yes or B2 == yes or B3 == yes or B4 == yes",
                },
            ],
        },
        {
            "code": "C",
            "label": _t("Müşahidə şəraiti", "Observation conditions", "Условия наблюдения"),
            "questions": [
                _yes_no(
                    "C1",
                    _t(
                        "Sərbəst müşahidə apara bildiniz?",
                        "Were you able to observe freely?",
                        "Могли ли вы свободно наблюдать?",
                    ),
                    alert_on="no",
                ),
                _yes_no(
                    "C2",
                    _t(
                        "Sizi məntəqədən çıxarmağa cəhd edildi?",
                        "Did anyone try to remove you from the station?",
                        "Пытались ли удалить вас с участка?",
                    ),
                    alert_on="yes",
                ),
            ],
        },
    ],
    "rules": [
        {
            "code": "R1",
            "check": "A3 <= A2",
            "questions": ["A2", "A3"],
            "message": _t(
                "Səs verənlərin sayı siyahıdakı seçicilərin sayından çox ola bilməz.",
                "Voters who have voted cannot be more than the voters on the list.",
                "Число проголосовавших не может превышать число избирателей в списке.",
            ),
        }
    ],
}

CLOSING = {
    "sections": [
        {
            "code": "A",
            "label": _t("Bağlanış", "Closing", "Закрытие"),
            "questions": [
                _yes_no(
                    "A1",
                    _t(
                        "Səsvermə saat 19:00-da başa çatdı?",
                        "Did voting end at 19:00?",
                        "Завершилось ли голосование в 19:00?",
                    ),
                ),
                {
                    "code": "A2",
                    "type": "time",
                    "label": _t(
                        "Səsvermə saat neçədə başa çatdı?",
                        "What time did voting end?",
                        "Во сколько завершилось голосование?",
                    ),
                    "required": True,
                    "relevant": "A1 == no",
                },
                _yes_no(
                    "A3",
                    _t(
                        "İstifadə olunmamış bülletenlər sayımdan əvvəl ləğv edildi?",
                        "Were the unused ballots cancelled before the count?",
                        "Были ли погашены неиспользованные бюллетени до подсчёта?",
                    ),
                    alert_on="no",
                ),
            ],
        },
        {
            "code": "B",
            "label": _t("Səslərin sayılması", "Counting", "Подсчёт голосов"),
            "questions": [
                _number(
                    "B1",
                    _t(
                        "Seçici siyahısındakı seçicilərin sayı",
                        "Number of voters on the voter list",
                        "Число избирателей в списке",
                    ),
                    0,
                    3000,
                    required=True,
                ),
                _number(
                    "B2",
                    _t(
                        "Səs verən seçicilərin sayı (qutudakı bülletenlər)",
                        "Number of ballots cast (found in the ballot box)",
                        "Число поданных бюллетеней (в урне)",
                    ),
                    0,
                    3000,
                    required=True,
                ),
                _number(
                    "B3",
                    _t(
                        "Etibarsız bülletenlərin sayı",
                        "Number of invalid ballots",
                        "Число недействительных бюллетеней",
                    ),
                    0,
                    3000,
                    required=True,
                ),
                _number(
                    "B4",
                    _t(
                        "Ləğv edilmiş istifadə olunmamış bülletenlərin sayı",
                        "Number of unused ballots cancelled",
                        "Число погашенных неиспользованных бюллетеней",
                    ),
                    0,
                    5000,
                ),
                {
                    "code": "B5",
                    "type": "single",
                    "label": _t(
                        "Sayım nə dərəcədə şəffaf idi?",
                        "How transparent was the count?",
                        "Насколько прозрачным был подсчёт?",
                    ),
                    "required": True,
                    "options": _options(
                        ("Tam şəffaf", "Fully transparent", "Полностью прозрачным"),
                        ("Qismən şəffaf", "Partly transparent", "Частично прозрачным"),
                        ("Şəffaf deyildi", "Not transparent", "Непрозрачным"),
                    ),
                    "alert": "B5 == '3'",
                },
                _yes_no(
                    "B6",
                    _t(
                        "Müşahidəçilər hər bülleteni sayılarkən görə bilirdilər?",
                        "Could observers see every ballot as it was counted?",
                        "Могли ли наблюдатели видеть каждый бюллетень при подсчёте?",
                    ),
                    alert_on="no",
                ),
                _yes_no(
                    "B7",
                    _t(
                        "Nəticələr protokolunun surətini aldınız?",
                        "Did you receive a copy of the results protocol?",
                        "Получили ли вы копию протокола об итогах голосования?",
                    ),
                    alert_on="no",
                ),
                {
                    "code": "B8",
                    "type": "photo",
                    "label": _t(
                        "Nəticələr protokolunun şəkli",
                        "Photo of the results protocol",
                        "Фото протокола об итогах голосования",
                    ),
                    "relevant": "B7 == yes",
                },
                _yes_no(
                    "B9",
                    _t(
                        "Nəticələr məntəqədə hamı üçün asıldı?",
                        "Were the results posted publicly at the station?",
                        "Были ли итоги вывешены на участке для всеобщего ознакомления?",
                    ),
                    alert_on="no",
                ),
            ],
        },
        {
            "code": "C",
            "label": COMMENTS,
            "questions": [{"code": "C1", "type": "text", "label": COMMENTS}],
        },
    ],
    "rules": [
        {
            "code": "R1",
            "check": "B2 <= B1",
            "questions": ["B1", "B2"],
            "message": _t(
                "Səs verənlərin sayı siyahıdakı seçicilərin sayından çox ola bilməz.",
                "Ballots cast cannot be more than the voters on the list.",
                "Число поданных бюллетеней не может превышать число избирателей в списке.",
            ),
        },
        {
            "code": "R2",
            "check": "B3 <= B2",
            "questions": ["B2", "B3"],
            "message": _t(
                "Etibarsız bülletenlər səs verənlərin sayından çox ola bilməz.",
                "Invalid ballots cannot be more than the ballots cast.",
                "Недействительных бюллетеней не может быть больше, чем поданных.",
            ),
        },
    ],
}

INCIDENT = {
    "sections": [
        {
            "code": "A",
            "label": _t("Hadisə", "Incident", "Инцидент"),
            "questions": [
                {
                    "code": "A1",
                    "type": "single",
                    "label": _t("Hadisənin növü", "What kind of incident?", "Вид инцидента"),
                    "required": True,
                    "options": _options(
                        (
                            "Seçicilərə təzyiq və ya hədə",
                            "Pressure on or intimidation of voters",
                            "Давление на избирателей или запугивание",
                        ),
                        ("Səs satın alınması", "Vote buying", "Подкуп избирателей"),
                        (
                            "Təkrar səsvermə və ya «karusel»",
                            "Multiple or “carousel” voting",
                            "Многократное голосование или «карусель»",
                        ),
                        ("Bülleten doldurulması", "Ballot box stuffing", "Вброс бюллетеней"),
                        (
                            "Müşahidəçilərə maneə və ya onların çıxarılması",
                            "Observers obstructed or removed",
                            "Препятствование наблюдателям или их удаление",
                        ),
                        ("Zorakılıq və ya hədə", "Violence or threats", "Насилие или угрозы"),
                        (
                            "Seçki günü təşviqat",
                            "Campaigning on election day",
                            "Агитация в день выборов",
                        ),
                        ("Digər", "Other", "Другое"),
                    ),
                    "alert": "A1 in ['4', '5', '6']",
                },
                {
                    "code": "A2",
                    "type": "time",
                    "label": _t(
                        "Hadisə saat neçədə baş verdi?",
                        "What time did it happen?",
                        "Во сколько это произошло?",
                    ),
                    "required": True,
                },
                {
                    "code": "A3",
                    "type": "text",
                    "label": _t(
                        "Nə baş verdi? Kim, nə və necə etdi",
                        "What happened? Who did what, and how",
                        "Что произошло? Кто, что и как сделал",
                    ),
                    "required": True,
                },
                _yes_no(
                    "A4",
                    _t(
                        "Hadisəni özünüz gördünüz?",
                        "Did you see it yourself?",
                        "Видели ли вы это сами?",
                    ),
                ),
                _number(
                    "A5",
                    _t(
                        "Neçə nəfər iştirak edirdi?",
                        "How many people were involved?",
                        "Сколько человек было вовлечено?",
                    ),
                    1,
                    1000,
                ),
                {
                    "code": "A6",
                    "type": "photo",
                    "label": _t(
                        "Şəkil (yalnız təhlükəsizdirsə)",
                        "Photo (only if it is safe to take one)",
                        "Фото (только если это безопасно)",
                    ),
                },
            ],
        }
    ],
    "rules": [],
}

# (code, kind, names, schema), in the order observers meet them on election day.
FORMS = [
    (
        "OP",
        Questionnaire.Kind.OPENING,
        _t("Açılış yoxlama siyahısı", "Opening checklist", "Контрольный список: открытие"),
        OPENING,
    ),
    (
        "VT",
        Questionnaire.Kind.VOTING,
        _t("Səsvermə yoxlama siyahısı", "Voting checklist", "Контрольный список: голосование"),
        VOTING,
    ),
    (
        "CL",
        Questionnaire.Kind.CLOSING_COUNTING,
        _t(
            "Bağlanış və səslərin sayılması",
            "Closing and counting",
            "Закрытие и подсчёт голосов",
        ),
        CLOSING,
    ),
    (
        "IN",
        Questionnaire.Kind.INCIDENT,
        _t("Hadisə haqqında məlumat", "Incident report", "Сообщение об инциденте"),
        INCIDENT,
    ),
]


@transaction.atomic
def build_demo_questionnaires(*, actor=None) -> dict:
    """Create (or bring up to date) the demo forms of each active demo election; returns what
    it built."""
    actor = actor or "demo data"
    elections = Election.objects.filter(
        name_en__in=[PARLIAMENTARY["name_en"], PRESIDENTIAL["name_en"]],
        status=Election.Status.ACTIVE,
    ).order_by("election_date")
    created = published = 0
    for election in elections:
        for position, (code, kind, names, schema) in enumerate(FORMS, start=1):
            questionnaire = Questionnaire.objects.filter(election=election, code=code).first()
            if questionnaire is None:
                questionnaire = services.create_questionnaire(
                    actor=actor,
                    election=election,
                    kind=kind,
                    code=code,
                    name_az=names["az"],
                    name_en=names["en"],
                    name_ru=names["ru"],
                    position=position,
                    schema=schema,
                    note="Demo form",
                )
                created += 1
            if questionnaire.status == Questionnaire.Status.ARCHIVED:
                questionnaire = services.reopen_questionnaire(questionnaire, actor)
            current = questionnaire.current_version
            if current is not None and current.schema == schema:
                continue
            draft = services.start_draft(questionnaire, actor)
            services.save_draft_schema(draft, schema, actor)
            services.publish_version(draft, actor, note="Demo form")
            published += 1
    return {
        "elections": len(elections),
        "forms": len(elections) * len(FORMS),
        "forms_created": created,
        "versions_published": published,
    }
