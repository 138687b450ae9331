"""Demo publications: a few articles per programme in az, en and ru, each marked as demo.

`build_demo_content()` can run any number of times: it adds only what is missing. The texts
are invented to show the platform and say so on every page; they make no claim about real
events.
"""

import hashlib
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify
from wagtail.documents import get_document_model
from wagtail.models import Locale
from wagtail.rich_text import RichText

from core.programmes import Programme
from publications.models import ArticleAttachment, ArticleIndexPage, ArticleKind, ArticlePage
from publications.services import page_publish, page_translation_ensure, site_skeleton_ensure

DEMO_NOTICE = {
    "az": (
        "Nümunə məzmun: bu mətn platformanı nümayiş etdirmək üçün yazılıb və Birliyin real "
        "nəşri deyil."
    ),
    "en": (
        "Demo content: this text was written to show the platform and is not a real "
        "publication of Birlik."
    ),
    "ru": (
        "Демонстрационный материал: этот текст написан для показа платформы и не является "
        "настоящей публикацией Бирлик."
    ),
}


def _p(text: str) -> tuple[str, str]:
    return ("paragraph", f"<p>{text}</p>")


def _ul(*items: str) -> tuple[str, str]:
    return ("paragraph", "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")


def _h(text: str) -> tuple[str, str]:
    return ("heading", text)


def _q(text: str, attribution: str) -> tuple[str, dict]:
    return ("quote", {"quote": text, "attribution": attribution})


# Each article: programme, kind, date, an optional PDF (English title: the PDF's built-in font
# has no Azerbaijani or Cyrillic letters) and, per language, title, slug, summary, body, tags.
ARTICLES = [
    {
        "programme": Programme.ELECTIONS,
        "kind": ArticleKind.VOTER_GUIDE,
        "date": date(2026, 10, 20),
        "az": {
            "title": "Seçici maarifləndirilməsi: səsvermə günü nələri bilməlisiniz",
            "slug": "secki-gunu-neleri-bilmelisiniz",
            "summary": (
                "Səsvermə günü məntəqəyə nə götürməli, bülleteni necə doldurmalı və pozuntu "
                "görsəniz kimə müraciət etməli olduğunuzu qısa şəkildə izah edirik."
            ),
            "body": [
                _h("Məntəqəyə getməzdən əvvəl"),
                _ul(
                    "Şəxsiyyət vəsiqənizi götürün.",
                    "Seçki məntəqənizin ünvanını əvvəlcədən yoxlayın: platformadakı «Seçki "
                    "məntəqəmi tap» xidmətindən istifadə edə bilərsiniz.",
                    "Seçici siyahısında adınızın olub-olmadığını öyrənin.",
                ),
                _h("Məntəqədə"),
                _p(
                    "Bülleteni yalnız özünüz, gizli səsvermə kabinəsində doldurun. Heç kəs "
                    "sizdən kimə səs verdiyinizi göstərməyi tələb edə bilməz. Bülleteni səhv "
                    "doldursanız, komissiya üzvündən yenisini istəyin."
                ),
                _q(
                    "Səs vermək hüququ yalnız sizə məxsusdur: onu heç kəs sizin əvəzinizə "
                    "istifadə edə bilməz.",
                    "Birliyin seçici bələdçisi",
                ),
                _p(
                    "Pozuntu görsəniz, məntəqədəki müşahidəçilərə və ya məntəqə seçki "
                    "komissiyasının sədrinə bildirin."
                ),
            ],
            "tags": ["seçkilər", "seçici maarifləndirilməsi"],
        },
        "en": {
            "title": "Voter education: what to know on election day",
            "slug": "voter-education-election-day",
            "summary": (
                "What to take to the polling station, how to fill in the ballot and whom to "
                "tell if you see a violation, in brief."
            ),
            "body": [
                _h("Before you go"),
                _ul(
                    "Take your identity card.",
                    "Check the address of your polling station beforehand: you can use the "
                    "“Find my polling station” service on the platform.",
                    "Make sure your name is on the voter list.",
                ),
                _h("At the polling station"),
                _p(
                    "Fill in the ballot yourself, alone, in the secret voting booth. Nobody may "
                    "ask you to show whom you voted for. If you make a mistake on the ballot, "
                    "ask a commission member for a new one."
                ),
                _q("Your vote is yours alone: nobody may cast it for you.", "Birlik voter guide"),
                _p(
                    "If you see a violation, tell the observers at the polling station or the "
                    "chair of the precinct election commission."
                ),
            ],
            "tags": ["elections", "voter education"],
        },
        "ru": {
            "title": "Просвещение избирателей: что нужно знать в день голосования",
            "slug": "den-golosovaniya-chto-nuzhno-znat",
            "summary": (
                "Что взять с собой на избирательный участок, как заполнить бюллетень и к кому "
                "обратиться, если вы заметили нарушение, — коротко."
            ),
            "body": [
                _h("Перед выходом из дома"),
                _ul(
                    "Возьмите удостоверение личности.",
                    "Заранее проверьте адрес своего избирательного участка: для этого есть "
                    "сервис «Найти мой избирательный участок» на платформе.",
                    "Убедитесь, что вы есть в списке избирателей.",
                ),
                _h("На участке"),
                _p(
                    "Заполняйте бюллетень сами и в одиночку, в кабине для тайного голосования. "
                    "Никто не вправе требовать показать, за кого вы проголосовали. Если вы "
                    "ошиблись, попросите у члена комиссии новый бюллетень."
                ),
                _q(
                    "Ваш голос принадлежит только вам: никто не может проголосовать вместо вас.",
                    "Пособие для избирателей Бирлик",
                ),
                _p(
                    "Если вы заметили нарушение, сообщите наблюдателям на участке или "
                    "председателю участковой избирательной комиссии."
                ),
            ],
            "tags": ["выборы", "просвещение избирателей"],
        },
    },
    {
        "programme": Programme.ELECTIONS,
        "kind": ArticleKind.STATEMENT,
        "date": date(2026, 11, 2),
        "az": {
            "title": "Bələdiyyə seçkiləri ilə bağlı ilkin bəyanat",
            "slug": "belediyye-seckileri-ilkin-beyanat",
            "summary": (
                "Müşahidəçilərimiz səsvermə günü məntəqələrin açılışını, səsverməni və "
                "səslərin sayılmasını izlədilər. Bu nümunə bəyanat ilkin müşahidələri və "
                "tövsiyələri təqdim edir."
            ),
            "body": [
                _p(
                    "Müşahidəçilərimiz məntəqələrin əksəriyyətində səsverməni sakit şəraitdə "
                    "izlədilər. Bəzi məntəqələrdə seçici siyahılarında uyğunsuzluqlar, habelə "
                    "müşahidəçilərin protokolun surətini almaqda çətinlik çəkməsi qeydə alınıb."
                ),
                _h("Tövsiyələr"),
                _ul(
                    "Seçici siyahıları seçkidən əvvəl ictimai yoxlanış üçün açıq olmalıdır.",
                    "Müşahidəçilərə hər məntəqədə protokolun təsdiq edilmiş surəti verilməlidir.",
                    "Şikayətlərə qanunla müəyyən edilmiş müddətdə baxılmalıdır.",
                ),
            ],
            "tags": ["seçki müşahidəsi", "bəyanat"],
        },
        "en": {
            "title": "Preliminary statement on the municipal elections",
            "slug": "preliminary-statement-municipal-elections",
            "summary": (
                "Our observers followed the opening of polling stations, the voting and the "
                "count on election day. This demo statement sets out preliminary findings and "
                "recommendations."
            ),
            "body": [
                _p(
                    "In most polling stations our observers saw voting take place calmly. In "
                    "some, they recorded discrepancies in the voter lists and difficulties in "
                    "obtaining a copy of the results protocol."
                ),
                _h("Recommendations"),
                _ul(
                    "Voter lists should be open to public scrutiny before election day.",
                    "Observers should receive a certified copy of the results protocol at "
                    "every polling station.",
                    "Complaints should be considered within the time limits set by law.",
                ),
            ],
            "tags": ["election observation", "statement"],
        },
        "ru": {
            "title": "Предварительное заявление о муниципальных выборах",
            "slug": "predvaritelnoe-zayavlenie-municipalnye-vybory",
            "summary": (
                "Наши наблюдатели следили за открытием избирательных участков, голосованием и "
                "подсчётом голосов в день выборов. Это демонстрационное заявление излагает "
                "предварительные выводы и рекомендации."
            ),
            "body": [
                _p(
                    "На большинстве участков наши наблюдатели видели, что голосование проходило "
                    "спокойно. На некоторых участках они отметили расхождения в списках "
                    "избирателей и трудности с получением копии протокола."
                ),
                _h("Рекомендации"),
                _ul(
                    "Списки избирателей должны быть открыты для общественной проверки до дня "
                    "выборов.",
                    "Наблюдатели должны получать заверенную копию протокола на каждом участке.",
                    "Жалобы должны рассматриваться в установленные законом сроки.",
                ),
            ],
            "tags": ["наблюдение за выборами", "заявление"],
        },
    },
    {
        "programme": Programme.ELECTIONS,
        "kind": ArticleKind.REPORT,
        "date": date(2026, 11, 16),
        "pdf": "Observation report: opening of polling stations and voting",
        "az": {
            "title": "Müşahidə hesabatı: məntəqələrin açılışı və səsvermə",
            "slug": "musahide-hesabati-acilis-ve-sesverme",
            "summary": (
                "Nümunə hesabat müşahidəçilərin açılış və səsvermə yoxlama siyahılarına "
                "verdikləri cavabları ümumiləşdirir. Tam mətn PDF formatındadır."
            ),
            "body": [
                _p(
                    "Hesabat müşahidəçilərin seçki günü göndərdikləri yoxlama siyahılarına "
                    "əsaslanır: məntəqənin vaxtında açılması, seçki qutularının möhürlənməsi, "
                    "seçici siyahılarının yoxlanılması və səsvermənin gizliliyi."
                ),
                _h("Metodologiya"),
                _p(
                    "Müşahidəçilər təlim keçmiş və akkreditasiya olunmuş könüllülərdir. "
                    "Məntəqələr təsadüfi seçmə ilə müəyyən edilib ki, nəticələr bütün ölkəni "
                    "təmsil etsin."
                ),
            ],
            "attachment": "Hesabatın tam mətni (PDF)",
            "tags": ["seçki müşahidəsi", "hesabat"],
        },
        "en": {
            "title": "Observation report: opening of polling stations and voting",
            "slug": "observation-report-opening-and-voting",
            "summary": (
                "This demo report sums up observers' answers to the opening and voting "
                "checklists. The full text is attached as a PDF."
            ),
            "body": [
                _p(
                    "The report draws on the checklists observers sent on election day: whether "
                    "the polling station opened on time, whether ballot boxes were sealed, how "
                    "voter lists were checked and whether the vote was secret."
                ),
                _h("Method"),
                _p(
                    "Observers are trained, accredited volunteers. Polling stations were drawn "
                    "by random sample so that the findings represent the whole country."
                ),
            ],
            "attachment": "Full report (PDF)",
            "tags": ["election observation", "report"],
        },
        "ru": {
            "title": "Доклад о наблюдении: открытие участков и голосование",
            "slug": "doklad-o-nablyudenii-otkrytie-i-golosovanie",
            "summary": (
                "Демонстрационный доклад обобщает ответы наблюдателей по контрольным листам "
                "открытия участков и голосования. Полный текст приложен в формате PDF."
            ),
            "body": [
                _p(
                    "Доклад основан на контрольных листах, которые наблюдатели присылали в день "
                    "выборов: открылся ли участок вовремя, были ли опечатаны урны, как "
                    "проверялись списки избирателей и соблюдалась ли тайна голосования."
                ),
                _h("Методология"),
                _p(
                    "Наблюдатели — обученные и аккредитованные добровольцы. Участки отобраны "
                    "случайной выборкой, чтобы выводы были репрезентативны для всей страны."
                ),
            ],
            "attachment": "Полный текст доклада (PDF)",
            "tags": ["наблюдение за выборами", "доклад"],
        },
    },
    {
        "programme": Programme.ELECTIONS,
        "kind": ArticleKind.NEWS,
        "date": date(2026, 9, 15),
        "az": {
            "title": "Müşahidəçilər üçün təlimlər başlayır",
            "slug": "musahideciler-ucun-telimler",
            "summary": (
                "Birlik müstəqil müşahidəçi olmaq istəyən könüllülər üçün onlayn və əyani "
                "təlimlərə qeydiyyat açır."
            ),
            "body": [
                _p(
                    "Təlimlərdə seçki qanunvericiliyinin əsasları, müşahidəçinin hüquq və "
                    "vəzifələri, yoxlama siyahılarının doldurulması və pozuntuların "
                    "sənədləşdirilməsi öyrədiləcək. Təlimi bitirənlər akkreditasiya üçün "
                    "müraciət edə biləcəklər."
                ),
            ],
            "tags": ["müşahidəçilər", "təlim"],
        },
        "en": {
            "title": "Training for election observers begins",
            "slug": "training-for-observers-begins",
            "summary": (
                "Birlik opens registration for online and in-person training for volunteers "
                "who want to become independent observers."
            ),
            "body": [
                _p(
                    "The training covers the basics of electoral law, observers' rights and "
                    "duties, filling in checklists and documenting violations. Those who "
                    "complete it can apply for accreditation."
                ),
            ],
            "tags": ["observers", "training"],
        },
        "ru": {
            "title": "Начинается обучение наблюдателей",
            "slug": "nachinaetsya-obuchenie-nablyudatelej",
            "summary": (
                "Бирлик открывает запись на онлайн- и очное обучение для добровольцев, "
                "желающих стать независимыми наблюдателями."
            ),
            "body": [
                _p(
                    "На обучении расскажут об основах избирательного законодательства, правах и "
                    "обязанностях наблюдателя, заполнении контрольных листов и документировании "
                    "нарушений. Прошедшие обучение смогут подать заявку на аккредитацию."
                ),
            ],
            "tags": ["наблюдатели", "обучение"],
        },
    },
    {
        "programme": Programme.PARTICIPATION,
        "kind": ArticleKind.NEWS,
        "date": date(2026, 10, 5),
        "az": {
            "title": "İnformasiya əldə etmək haqqında qanun layihəsinin ictimai müzakirəsi",
            "slug": "informasiya-qanun-layihesi-muzakire",
            "summary": (
                "Vətəndaşları qanun layihəsi ilə tanış olmağa və platformada şərh yazmağa "
                "dəvət edirik. Şərhlər ümumiləşdirilərək aidiyyəti dövlət orqanına təqdim "
                "olunacaq."
            ),
            "body": [
                _p(
                    "Müzakirə dörd həftə davam edəcək. Hər kəs layihənin maddələrinə ayrıca şərh "
                    "yaza, digər iştirakçıların təkliflərini dəstəkləyə bilər. Müzakirənin "
                    "yekunları bu səhifədə dərc olunacaq."
                ),
            ],
            "tags": ["ictimai müzakirə", "informasiya azadlığı"],
        },
        "en": {
            "title": "Public consultation on the draft law on access to information",
            "slug": "consultation-access-to-information",
            "summary": (
                "We invite citizens to read the draft law and comment on it on the platform. "
                "The comments will be summarised and submitted to the state body concerned."
            ),
            "body": [
                _p(
                    "The consultation runs for four weeks. Anyone can comment on individual "
                    "articles of the draft and support other participants' proposals. The "
                    "outcome will be published on this page."
                ),
            ],
            "tags": ["public consultation", "access to information"],
        },
        "ru": {
            "title": "Общественное обсуждение законопроекта о доступе к информации",
            "slug": "obsuzhdenie-zakonoproekta-o-dostupe-k-informacii",
            "summary": (
                "Приглашаем граждан ознакомиться с законопроектом и оставить комментарии на "
                "платформе. Комментарии будут обобщены и направлены в соответствующий "
                "государственный орган."
            ),
            "body": [
                _p(
                    "Обсуждение продлится четыре недели. Каждый может прокомментировать "
                    "отдельные статьи проекта и поддержать предложения других участников. Итоги "
                    "будут опубликованы на этой странице."
                ),
            ],
            "tags": ["общественное обсуждение", "доступ к информации"],
        },
    },
    {
        "programme": Programme.PARTICIPATION,
        "kind": ArticleKind.STATEMENT,
        "date": date(2026, 10, 28),
        "az": {
            "title": "Bələdiyyə büdcələrinə ictimai nəzarət haqqında bəyanat",
            "slug": "belediyye-budcelerine-ictimai-nezaret",
            "summary": (
                "Bələdiyyə büdcələrinin açıq dərc edilməsi və sakinlərin büdcə dinləmələrində "
                "iştirakı yerli demokratiyanın əsasıdır."
            ),
            "body": [
                _p(
                    "Birlik bələdiyyələri büdcə layihələrini qəbul etməzdən əvvəl dərc etməyə, "
                    "ictimai dinləmələr keçirməyə və sakinlərin təkliflərinə yazılı cavab "
                    "verməyə çağırır."
                ),
            ],
            "tags": ["ictimai nəzarət", "bələdiyyələr"],
        },
        "en": {
            "title": "Statement on public oversight of municipal budgets",
            "slug": "statement-municipal-budget-oversight",
            "summary": (
                "Publishing municipal budgets openly and letting residents take part in budget "
                "hearings are the foundation of local democracy."
            ),
            "body": [
                _p(
                    "Birlik calls on municipalities to publish draft budgets before adopting "
                    "them, to hold public hearings and to answer residents' proposals in writing."
                ),
            ],
            "tags": ["public oversight", "municipalities"],
        },
        "ru": {
            "title": "Заявление об общественном контроле над муниципальными бюджетами",
            "slug": "zayavlenie-kontrol-municipalnyh-byudzhetov",
            "summary": (
                "Открытая публикация муниципальных бюджетов и участие жителей в бюджетных "
                "слушаниях — основа местной демократии."
            ),
            "body": [
                _p(
                    "Бирлик призывает муниципалитеты публиковать проекты бюджетов до их "
                    "принятия, проводить общественные слушания и письменно отвечать на "
                    "предложения жителей."
                ),
            ],
            "tags": ["общественный контроль", "муниципалитеты"],
        },
    },
    {
        "programme": Programme.PARTICIPATION,
        "kind": ArticleKind.REPORT,
        "date": date(2026, 11, 10),
        "pdf": "Research: how citizens take part in decision-making",
        "az": {
            "title": "Araşdırma: vətəndaşlar qərarların qəbulunda necə iştirak edir",
            "slug": "arasdirma-qerarlarin-qebulunda-istirak",
            "summary": (
                "Nümunə araşdırma ictimai müzakirələrin, petisiyaların və informasiya "
                "sorğularının istifadəsini təhlil edir. Tam mətn PDF formatındadır."
            ),
            "body": [
                _p(
                    "Araşdırma sorğu və müsahibələrə əsaslanır. Əsas nəticə: vətəndaşların "
                    "çoxu iştirak imkanlarından xəbərsizdir, ona görə də məlumatlılığın "
                    "artırılması birinci addım olmalıdır."
                ),
            ],
            "attachment": "Araşdırmanın tam mətni (PDF)",
            "tags": ["ictimai iştirakçılıq", "araşdırma"],
        },
        "en": {
            "title": "Research: how citizens take part in decision-making",
            "slug": "research-citizens-in-decision-making",
            "summary": (
                "This demo study looks at how public consultations, petitions and information "
                "requests are used. The full text is attached as a PDF."
            ),
            "body": [
                _p(
                    "The study is based on a survey and interviews. Its main finding: most "
                    "citizens do not know the ways in which they can take part, so raising "
                    "awareness must come first."
                ),
            ],
            "attachment": "Full study (PDF)",
            "tags": ["public participation", "research"],
        },
        "ru": {
            "title": "Исследование: как граждане участвуют в принятии решений",
            "slug": "issledovanie-uchastie-v-prinyatii-reshenij",
            "summary": (
                "Демонстрационное исследование анализирует, как используются общественные "
                "обсуждения, петиции и информационные запросы. Полный текст приложен в формате "
                "PDF."
            ),
            "body": [
                _p(
                    "Исследование основано на опросе и интервью. Главный вывод: большинство "
                    "граждан не знают о возможностях участия, поэтому первым шагом должно стать "
                    "повышение информированности."
                ),
            ],
            "attachment": "Полный текст исследования (PDF)",
            "tags": ["общественное участие", "исследование"],
        },
    },
    {
        "programme": Programme.HUMAN_RIGHTS,
        "kind": ArticleKind.RIGHTS_GUIDE,
        "date": date(2026, 10, 12),
        "az": {
            "title": "Saxlanıldığınız zaman hüquqlarınızı bilin",
            "slug": "saxlanilma-zamani-huquqlariniz",
            "summary": (
                "Polis tərəfindən saxlanılsanız, hansı hüquqlara malik olduğunuzu qısa "
                "şəkildə xatırladırıq. Bu bələdçi hüquqi məsləhət deyil."
            ),
            "body": [
                _h("Əsas hüquqlarınız"),
                _ul(
                    "Saxlanılmanızın səbəbini öyrənmək.",
                    "Saxlanıldığınız andan vəkilin köməyindən istifadə etmək.",
                    "Yaxınlarınıza harada olduğunuzu bildirmək.",
                    "Özünüzə qarşı ifadə verməmək.",
                    "Dili bilmirsinizsə, tərcüməçinin köməyindən istifadə etmək.",
                ),
                _p(
                    "Heç kəs işgəncəyə, qəddar və ya ləyaqəti alçaldan rəftara məruz qala "
                    "bilməz. Hüquqlarınız pozulubsa, Birliyin hüquqi yardım xidmətinə müraciət "
                    "edin."
                ),
            ],
            "tags": ["hüquqi yardım", "saxlanılma"],
        },
        "en": {
            "title": "Know your rights when detained",
            "slug": "know-your-rights-when-detained",
            "summary": (
                "A short reminder of your rights if you are detained by the police. This guide "
                "is not legal advice."
            ),
            "body": [
                _h("Your main rights"),
                _ul(
                    "To be told why you are being detained.",
                    "To a lawyer from the moment of detention.",
                    "To let your family know where you are.",
                    "Not to testify against yourself.",
                    "To an interpreter if you do not speak the language.",
                ),
                _p(
                    "No one may be subjected to torture or to cruel or degrading treatment. If "
                    "your rights have been violated, contact Birlik's legal-aid service."
                ),
            ],
            "tags": ["legal aid", "detention"],
        },
        "ru": {
            "title": "Знайте свои права при задержании",
            "slug": "znajte-svoi-prava-pri-zaderzhanii",
            "summary": (
                "Краткое напоминание о ваших правах при задержании полицией. Это руководство "
                "не является юридической консультацией."
            ),
            "body": [
                _h("Ваши основные права"),
                _ul(
                    "Узнать причину задержания.",
                    "Пользоваться помощью адвоката с момента задержания.",
                    "Сообщить близким, где вы находитесь.",
                    "Не свидетельствовать против себя.",
                    "Пользоваться услугами переводчика, если вы не владеете языком.",
                ),
                _p(
                    "Никто не может подвергаться пыткам, жестокому или унижающему достоинство "
                    "обращению. Если ваши права нарушены, обратитесь в службу юридической "
                    "помощи Бирлик."
                ),
            ],
            "tags": ["юридическая помощь", "задержание"],
        },
    },
    {
        "programme": Programme.HUMAN_RIGHTS,
        "kind": ArticleKind.RIGHTS_GUIDE,
        "date": date(2026, 9, 25),
        "az": {
            "title": "Hüquqlarınızı bilin: dinc toplaşmaq azadlığı",
            "slug": "dinc-toplasmaq-azadligi",
            "summary": (
                "Dinc toplaşmaq azadlığı Konstitusiya ilə təminat altına alınıb. Bələdçi bu "
                "azadlıqdan necə istifadə etməyi və nəyə diqqət yetirməyi izah edir."
            ),
            "body": [
                _p(
                    "Toplantı keçirməyi planlaşdırırsınızsa, qanunla müəyyən edilmiş qaydada "
                    "müvafiq icra hakimiyyəti orqanını əvvəlcədən xəbərdar edin. Toplantı "
                    "zamanı sakit qalın, şəxsiyyət vəsiqənizi yanınızda saxlayın və vəkilin "
                    "telefon nömrəsini qeyd edin."
                ),
            ],
            "tags": ["toplaşmaq azadlığı", "insan hüquqları"],
        },
        "en": {
            "title": "Know your rights: freedom of peaceful assembly",
            "slug": "know-your-rights-peaceful-assembly",
            "summary": (
                "Freedom of peaceful assembly is guaranteed by the Constitution. This guide "
                "explains how to exercise it and what to watch out for."
            ),
            "body": [
                _p(
                    "If you plan to hold an assembly, notify the relevant executive authority in "
                    "advance, as the law requires. During the assembly keep calm, carry your "
                    "identity card and write down a lawyer's phone number."
                ),
            ],
            "tags": ["freedom of assembly", "human rights"],
        },
        "ru": {
            "title": "Знайте свои права: свобода мирных собраний",
            "slug": "znajte-svoi-prava-svoboda-sobranij",
            "summary": (
                "Свобода мирных собраний гарантирована Конституцией. Руководство объясняет, как "
                "ею пользоваться и на что обращать внимание."
            ),
            "body": [
                _p(
                    "Если вы планируете провести собрание, заранее уведомите соответствующий "
                    "орган исполнительной власти в порядке, установленном законом. Во время "
                    "собрания сохраняйте спокойствие, держите при себе удостоверение личности и "
                    "запишите номер телефона адвоката."
                ),
            ],
            "tags": ["свобода собраний", "права человека"],
        },
    },
    {
        "programme": Programme.HUMAN_RIGHTS,
        "kind": ArticleKind.NEWS,
        "date": date(2026, 11, 5),
        "az": {
            "title": "Regionlarda pulsuz hüquqi məsləhət günləri",
            "slug": "regionlarda-pulsuz-huquqi-meslehet",
            "summary": (
                "Birliyin hüquqşünasları növbəti ay üç regionda vətəndaşları pulsuz qəbul edəcək."
            ),
            "body": [
                _p(
                    "Qəbul günlərində hüquqşünaslar əmək, mülkiyyət və sosial hüquqlarla bağlı "
                    "suallara cavab verəcək, lazım gəldikdə ərizə və şikayətlərin hazırlanmasına "
                    "kömək edəcəklər. Qəbula yazılmaq üçün platformada müraciət formasını "
                    "doldurmaq kifayətdir."
                ),
            ],
            "tags": ["hüquqi yardım"],
        },
        "en": {
            "title": "Free legal advice days in the regions",
            "slug": "free-legal-advice-days",
            "summary": (
                "Birlik's lawyers will see citizens free of charge in three regions next month."
            ),
            "body": [
                _p(
                    "On these days lawyers will answer questions about labour, property and "
                    "social rights and, where needed, help prepare applications and complaints. "
                    "To book a consultation, fill in the request form on the platform."
                ),
            ],
            "tags": ["legal aid"],
        },
        "ru": {
            "title": "Дни бесплатной юридической консультации в регионах",
            "slug": "dni-besplatnoj-yuridicheskoj-konsultacii",
            "summary": (
                "В следующем месяце юристы Бирлик бесплатно примут граждан в трёх регионах."
            ),
            "body": [
                _p(
                    "В эти дни юристы ответят на вопросы о трудовых, имущественных и социальных "
                    "правах и при необходимости помогут подготовить заявления и жалобы. Чтобы "
                    "записаться, достаточно заполнить форму обращения на платформе."
                ),
            ],
            "tags": ["юридическая помощь"],
        },
    },
    {
        "programme": Programme.HUMAN_RIGHTS,
        "kind": ArticleKind.REPORT,
        "date": date(2026, 11, 20),
        "pdf": "Human rights monitoring: annual report",
        "az": {
            "title": "İnsan hüquqları monitorinqi: illik hesabat",
            "slug": "insan-huquqlari-monitorinqi-illik-hesabat",
            "summary": (
                "Nümunə illik hesabat hüquqi yardım müraciətlərini və sənədləşdirilmiş "
                "pozuntuları ümumiləşdirilmiş, anonim şəkildə təqdim edir. Tam mətn PDF "
                "formatındadır."
            ),
            "body": [
                _p(
                    "Hesabatda heç bir şəxsin adı və ya onu müəyyən etməyə imkan verən məlumat "
                    "yoxdur: bütün rəqəmlər ümumiləşdirilib. Tövsiyələr hüquq müdafiə "
                    "xidmətinin təkmilləşdirilməsinə yönəlib."
                ),
            ],
            "attachment": "Hesabatın tam mətni (PDF)",
            "tags": ["insan hüquqları", "hesabat"],
        },
        "en": {
            "title": "Human rights monitoring: annual report",
            "slug": "human-rights-monitoring-annual-report",
            "summary": (
                "This demo annual report presents legal-aid requests and documented violations "
                "in aggregated, anonymous form. The full text is attached as a PDF."
            ),
            "body": [
                _p(
                    "The report contains no names or details that could identify anyone: all "
                    "figures are aggregated. Its recommendations aim to improve legal-defence "
                    "services."
                ),
            ],
            "attachment": "Full report (PDF)",
            "tags": ["human rights", "report"],
        },
        "ru": {
            "title": "Мониторинг прав человека: ежегодный доклад",
            "slug": "monitoring-prav-cheloveka-ezhegodnyj-doklad",
            "summary": (
                "Демонстрационный ежегодный доклад представляет обращения за юридической "
                "помощью и задокументированные нарушения в обобщённом, анонимном виде. Полный "
                "текст приложен в формате PDF."
            ),
            "body": [
                _p(
                    "В докладе нет имён и сведений, позволяющих установить личность: все цифры "
                    "обобщены. Рекомендации направлены на совершенствование правозащитной "
                    "службы."
                ),
            ],
            "attachment": "Полный текст доклада (PDF)",
            "tags": ["права человека", "доклад"],
        },
    },
    {
        "programme": Programme.CIVIL_SOCIETY,
        "kind": ArticleKind.NEWS,
        "date": date(2026, 10, 1),
        "az": {
            "title": "QHT-lər üçün maliyyə hesabatlılığı təlimi",
            "slug": "qht-ler-ucun-maliyye-hesabatliligi-telimi",
            "summary": (
                "Vətəndaş cəmiyyəti təşkilatlarının əməkdaşları üçün qrantların idarə "
                "olunması və hesabatlılıq üzrə iki günlük təlim."
            ),
            "body": [
                _p(
                    "Təlim VCT-lərin bilik və bacarıqlarının artırılması proqramımızın bir "
                    "hissəsidir. İştirakçılar büdcə planlaşdırması, sənədləşmə və donorlara "
                    "hesabat hazırlanması mövzularında praktiki tapşırıqlar yerinə yetirəcəklər."
                ),
            ],
            "tags": ["QHT", "təlim"],
        },
        "en": {
            "title": "Financial reporting training for NGOs",
            "slug": "financial-reporting-training-for-ngos",
            "summary": (
                "A two-day training on grant management and reporting for staff of "
                "civil-society organisations."
            ),
            "body": [
                _p(
                    "The training is part of our programme to build the knowledge and skills of "
                    "CSOs. Participants will work through practical exercises on budgeting, "
                    "record-keeping and reporting to donors."
                ),
            ],
            "tags": ["NGOs", "training"],
        },
        "ru": {
            "title": "Обучение финансовой отчётности для НПО",
            "slug": "obuchenie-finansovoj-otchetnosti-dlya-npo",
            "summary": (
                "Двухдневное обучение по управлению грантами и отчётности для сотрудников "
                "организаций гражданского общества."
            ),
            "body": [
                _p(
                    "Обучение — часть нашей программы по повышению знаний и навыков ОГО. "
                    "Участники выполнят практические задания по планированию бюджета, ведению "
                    "документации и подготовке отчётов для доноров."
                ),
            ],
            "tags": ["НПО", "обучение"],
        },
    },
    {
        "programme": Programme.CIVIL_SOCIETY,
        "kind": ArticleKind.STATEMENT,
        "date": date(2026, 10, 22),
        "az": {
            "title": "QHT-lər haqqında qanuna təklif edilən dəyişikliklərə dair bəyanat",
            "slug": "qht-qanununa-deyisikliklere-dair-beyanat",
            "summary": (
                "Təklif edilən dəyişikliklər qeydiyyat və hesabatlılıq tələblərini "
                "sadələşdirməli, çətinləşdirməməlidir."
            ),
            "body": [
                _p(
                    "Birlik qanunvericilik bazasının yaxşılaşdırılmasını dəstəkləyir və hesab "
                    "edir ki, dəyişikliklər yalnız vətəndaş cəmiyyəti təşkilatları ilə açıq "
                    "müzakirədən sonra qəbul edilməlidir."
                ),
                _q(
                    "Güclü vətəndaş cəmiyyətinin mövcudluğu demokratiyanın geridönməzliyinin əsas "
                    "təminatçısıdır.",
                    "Birlik",
                ),
            ],
            "tags": ["QHT", "qanunvericilik"],
        },
        "en": {
            "title": "Statement on proposed amendments to the law on NGOs",
            "slug": "statement-amendments-ngo-law",
            "summary": (
                "Proposed amendments should simplify registration and reporting requirements, "
                "not make them harder."
            ),
            "body": [
                _p(
                    "Birlik supports improving the legislative framework and believes that "
                    "amendments should be adopted only after open consultation with "
                    "civil-society organisations."
                ),
                _q(
                    "A strong civil society is the main guarantor of the irreversibility of "
                    "democracy.",
                    "Birlik",
                ),
            ],
            "tags": ["NGOs", "legislation"],
        },
        "ru": {
            "title": "Заявление о предлагаемых поправках в закон об НПО",
            "slug": "zayavlenie-o-popravkah-v-zakon-ob-npo",
            "summary": (
                "Предлагаемые поправки должны упрощать требования к регистрации и отчётности, "
                "а не усложнять их."
            ),
            "body": [
                _p(
                    "Бирлик поддерживает совершенствование законодательной базы и считает, что "
                    "поправки следует принимать только после открытого обсуждения с "
                    "организациями гражданского общества."
                ),
                _q(
                    "Сильное гражданское общество — главный гарант необратимости демократии.",
                    "Бирлик",
                ),
            ],
            "tags": ["НПО", "законодательство"],
        },
    },
    {
        "programme": Programme.CIVIL_SOCIETY,
        "kind": ArticleKind.REPORT,
        "date": date(2026, 11, 12),
        "pdf": "The operating environment for civil-society organisations: a review",
        "az": {
            "title": "Vətəndaş cəmiyyəti təşkilatlarının fəaliyyət mühiti: icmal",
            "slug": "vct-lerin-fealiyyet-muhiti-icmal",
            "summary": (
                "Nümunə icmal qeydiyyat, maliyyələşmə və dövlət orqanları ilə əməkdaşlıq "
                "sahələrində VCT-lərin qarşılaşdığı çətinlikləri təsvir edir. Tam mətn PDF "
                "formatındadır."
            ),
            "body": [
                _p(
                    "İcmal VCT rəhbərləri ilə müsahibələrə əsaslanır və daha yaxşı fəaliyyət "
                    "mühitinin formalaşdırılması üçün tövsiyələr təqdim edir."
                ),
            ],
            "attachment": "İcmalın tam mətni (PDF)",
            "tags": ["vətəndaş cəmiyyəti", "hesabat"],
        },
        "en": {
            "title": "The operating environment for civil-society organisations: a review",
            "slug": "cso-operating-environment-review",
            "summary": (
                "This demo review describes the difficulties CSOs face with registration, "
                "funding and cooperation with state bodies. The full text is attached as a PDF."
            ),
            "body": [
                _p(
                    "The review draws on interviews with CSO leaders and makes recommendations "
                    "for shaping a better operating environment."
                ),
            ],
            "attachment": "Full review (PDF)",
            "tags": ["civil society", "report"],
        },
        "ru": {
            "title": "Условия деятельности организаций гражданского общества: обзор",
            "slug": "usloviya-deyatelnosti-ogo-obzor",
            "summary": (
                "Демонстрационный обзор описывает трудности, с которыми ОГО сталкиваются при "
                "регистрации, финансировании и сотрудничестве с государственными органами. "
                "Полный текст приложен в формате PDF."
            ),
            "body": [
                _p(
                    "Обзор основан на интервью с руководителями ОГО и содержит рекомендации по "
                    "формированию более благоприятной среды для их деятельности."
                ),
            ],
            "attachment": "Полный текст обзора (PDF)",
            "tags": ["гражданское общество", "доклад"],
        },
    },
]


def _pdf_text(value: str) -> str:
    """A string literal for the PDF's built-in font: ASCII, with ( ) \\ escaped."""
    ascii_text = value.encode("ascii", "replace").decode("ascii")
    return ascii_text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def minimal_pdf(title: str, lines: list[str]) -> bytes:
    """A valid one-page PDF (Helvetica text, correct cross-reference table)."""
    text_ops = ["BT", "/F1 18 Tf", "72 770 Td", f"({_pdf_text(title)}) Tj", "/F1 11 Tf"]
    for line in lines:
        text_ops += ["0 -22 Td", f"({_pdf_text(line)}) Tj"]
    text_ops.append("ET")
    stream = "\n".join(text_ops).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        f"<< /Title ({_pdf_text(title)}) /Producer (Birlik) >>".encode("ascii"),
    ]
    output = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(output))
        output += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_offset = len(output)
    output += b"xref\n0 %d\n" % (len(objects) + 1)
    output += b"0000000000 65535 f \n"
    for offset in offsets:
        output += b"%010d 00000 n \n" % offset
    output += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\n" % (
        len(objects) + 1,
        len(objects),
    )
    output += b"startxref\n%d\n%%%%EOF\n" % xref_offset
    return bytes(output)


def _demo_document(title: str):
    """The demo PDF with this title, created once."""
    Document = get_document_model()
    document = Document.objects.filter(title=f"{title} (demo)").first()
    if document is not None:
        return document, False
    pdf = minimal_pdf(
        title,
        [
            "Demo content - written to show the Birlik platform.",
            "This is not a real publication of the association.",
        ],
    )
    document = Document(
        title=f"{title} (demo)",
        file_size=len(pdf),
        file_hash=hashlib.sha1(pdf).hexdigest(),  # noqa: S324  (a file fingerprint, as Wagtail)
    )
    document.file.save(f"birlik-demo-{slugify(title)[:60]}.pdf", ContentFile(pdf), save=False)
    document.save()
    return document, True


def _article_fields(article: dict, code: str, document) -> dict:
    text = article[code]
    body = [("paragraph", RichText(f"<p><em>{DEMO_NOTICE[code]}</em></p>"))]
    for block_type, value in text["body"]:
        body.append((block_type, RichText(value) if block_type == "paragraph" else value))
    fields = {
        "title": text["title"],
        "slug": text["slug"],
        "summary": text["summary"],
        "body": body,
        "kind": article["kind"],
        "programme": article["programme"],
        "date": article["date"],
        "is_demo": True,
    }
    if document is not None:
        fields["attachments"] = [ArticleAttachment(document=document, title=text["attachment"])]
    return fields


@transaction.atomic
def build_demo_content() -> dict:
    """The site skeleton plus demo articles in every language; adds only what is missing."""
    homes = site_skeleton_ensure()
    locales = {code: Locale.objects.get(language_code=code) for code in homes}
    index = ArticleIndexPage.objects.child_of(homes["az"]).get()
    created = {"articles": 0, "translations": 0, "documents": 0}
    for article in ARTICLES:
        document = None
        if article.get("pdf"):
            document, new = _demo_document(article["pdf"])
            created["documents"] += int(new)
        source = ArticlePage.objects.child_of(index).filter(slug=article["az"]["slug"]).first()
        if source is None:
            source = ArticlePage(locale=locales["az"], **_article_fields(article, "az", document))
            source.tags.add(*article["az"]["tags"])
            index.add_child(instance=source)
            page_publish(page=source)
            created["articles"] += 1
        for code in ("en", "ru"):
            if source.get_translation_or_none(locales[code]) is None:
                page_translation_ensure(
                    source=source,
                    locale=locales[code],
                    tags=article[code]["tags"],
                    **_article_fields(article, code, document),
                )
                created["translations"] += 1
    return {
        **created,
        "languages": len(homes),
        "articles_per_language": len(ARTICLES),
    }
