"""The public site's own words in az, en and ru: the association's statement of what it does.

The Azerbaijani text is the association's (/work/shared/mission/seed-az.txt), with obvious typing
slips corrected; the English and Russian texts translate it faithfully. They fill the site
skeleton (home page, programme pages, publications index) that a fresh install starts with.
Editors change them afterwards in the CMS; nothing here overwrites an existing page.
"""

from core.programmes import Programme

LANGUAGES = ("az", "en", "ru")

HOME = {
    "az": {
        "title": "Birlik",
        "heading": "Biz nə edirik?",
        "intro": (
            "<p>Birliyin fəaliyyət predmeti sırasında aşağıdakı məsələlər xüsusilə prioritet "
            "təşkil edir:</p>"
        ),
    },
    "en": {
        "title": "Birlik",
        "heading": "What do we do?",
        "intro": (
            "<p>Among the areas of Birlik's work, the following are our particular priorities:</p>"
        ),
    },
    "ru": {
        "title": "Бирлик",
        "heading": "Что мы делаем?",
        "intro": (
            "<p>Среди направлений деятельности Бирлик особым приоритетом являются следующие "
            "вопросы:</p>"
        ),
    },
}

PROGRAMMES = {
    Programme.ELECTIONS: {
        "az": {
            "title": "Seçkilər",
            "slug": "seckiler",
            "text": (
                "Azad və ədalətli seçkilər demokratiyanın təməl prinsipləri arasında önəmli yer "
                "tutur. Məhz seçkilər vasitəsilə vətəndaşlar dövlət hakimiyyətini təşkil edir və "
                "onun həyata keçirilməsində iştirak edirlər. Biz seçki maarifçiliyi, seçkilərin "
                "monitorinqi, seçki praktikasının yaxşılaşdırılmasına xidmət edən tövsiyələrin "
                "işlənib hazırlanması istiqamətində fəaliyyətlər həyata keçirməklə azad və "
                "ədalətli seçkilərə öz dəstəyimizi ifadə edirik."
            ),
        },
        "en": {
            "title": "Elections",
            "slug": "elections",
            "text": (
                "Free and fair elections hold an important place among the founding principles "
                "of democracy. It is through elections that citizens form state power and take "
                "part in exercising it. We express our support for free and fair elections "
                "through our work on voter education, election monitoring and drafting "
                "recommendations that serve to improve electoral practice."
            ),
        },
        "ru": {
            "title": "Выборы",
            "slug": "vybory",
            "text": (
                "Свободные и справедливые выборы занимают важное место среди основополагающих "
                "принципов демократии. Именно посредством выборов граждане формируют "
                "государственную власть и участвуют в её осуществлении. Мы выражаем свою "
                "поддержку свободным и справедливым выборам, ведя работу по просвещению "
                "избирателей, мониторингу выборов и разработке рекомендаций, служащих "
                "улучшению избирательной практики."
            ),
        },
    },
    Programme.PARTICIPATION: {
        "az": {
            "title": "İctimai iştirakçılıq",
            "slug": "ictimai-istirakciliq",
            "text": (
                "İctimai iştirakçılıq dövlət və cəmiyyət həyatının müxtəlif sahələrində dövlət "
                "siyasətinin hazırlanmasında və həyata keçirilməsində, qərarların qəbulunda, "
                "dövlət orqanlarının fəaliyyətinə ictimai nəzarətin təşkilində vətəndaşların "
                "iştirakının əsas formalarından biri kimi çıxış edir. Demokratiya üçün "
                "əhəmiyyətinə önəm verərək biz ictimai iştirakçılığın təşviq edilməsi, "
                "məlumatlılığın artırılması, araşdırmaların aparılması, tövsiyələrin "
                "hazırlanması və s. kimi fəaliyyətlərlə vətəndaşları səlahiyyətləndirir, onları "
                "ictimai iştirakçılığa həvəsləndirir və onun inkişafına öz töhfəmizi veririk."
            ),
        },
        "en": {
            "title": "Public participation",
            "slug": "public-participation",
            "text": (
                "Public participation is one of the main forms in which citizens take part in "
                "preparing and carrying out state policy in the various spheres of state and "
                "public life, in decision-making and in organising public oversight of the work "
                "of state bodies. Valuing its importance for democracy, we empower citizens, "
                "encourage them to take part in public life and contribute to its development "
                "through activities such as promoting public participation, raising awareness, "
                "conducting research and preparing recommendations."
            ),
        },
        "ru": {
            "title": "Общественное участие",
            "slug": "obshchestvennoe-uchastie",
            "text": (
                "Общественное участие выступает одной из основных форм участия граждан в "
                "подготовке и реализации государственной политики в различных сферах "
                "государственной и общественной жизни, в принятии решений, в организации "
                "общественного контроля над деятельностью государственных органов. Придавая "
                "значение его важности для демократии, мы посредством таких мероприятий, как "
                "поощрение общественного участия, повышение информированности, проведение "
                "исследований, подготовка рекомендаций и т. д., расширяем возможности граждан, "
                "побуждаем их к общественному участию и вносим свой вклад в его развитие."
            ),
        },
    },
    Programme.HUMAN_RIGHTS: {
        "az": {
            "title": "İnsan hüquqları",
            "slug": "insan-huquqlari",
            "text": (
                "İnsan hüquq və azadlıqlarının təmin edilməsi demokratiyanın məhək daşlarından "
                "hesab edilir. İnsan hüquqları vətəndaşların məlumatlılıq səviyyəsindən asılı "
                "olduğu qədər, səlahiyyətli dövlət orqanlarının onlara həvalə edilmiş vəzifələri "
                "qanunvericiliyin tələblərinə uyğun şəkildə və vicdanla həyata keçirməklərindən "
                "də əhəmiyyətli dərəcədə asılıdır. Buna müvafiq olaraq insan hüquqları haqqında "
                "məlumatlılığın artırılması, vətəndaşların hüquqi müdafiə qabiliyyətinin "
                "artırılması, pozulmuş hüquqların müdafiəsinin təmin edilməsi, hüquq müdafiə "
                "xidmətinin təkmilləşdirilməsi fəaliyyətlərimiz sırasında əhəmiyyətli yer "
                "almışdır."
            ),
        },
        "en": {
            "title": "Human rights",
            "slug": "human-rights",
            "text": (
                "Securing human rights and freedoms is regarded as a touchstone of democracy. "
                "Human rights depend as much on how well informed citizens are as, to a "
                "significant degree, on whether the competent state bodies carry out the duties "
                "entrusted to them in good faith and in line with the requirements of the law. "
                "Accordingly, raising awareness of human rights, strengthening citizens' "
                "capacity to defend themselves legally, securing the defence of violated rights "
                "and improving legal-defence services hold an important place in our work."
            ),
        },
        "ru": {
            "title": "Права человека",
            "slug": "prava-cheloveka",
            "text": (
                "Обеспечение прав и свобод человека считается пробным камнем демократии. Права "
                "человека в той же мере, в какой они зависят от уровня информированности "
                "граждан, в значительной степени зависят и от того, исполняют ли "
                "уполномоченные государственные органы возложенные на них обязанности "
                "добросовестно и в соответствии с требованиями законодательства. Соответственно, "
                "повышение осведомлённости о правах человека, укрепление способности граждан к "
                "правовой защите, обеспечение защиты нарушенных прав и совершенствование "
                "правозащитной службы заняли важное место в нашей деятельности."
            ),
        },
    },
    Programme.CIVIL_SOCIETY: {
        "az": {
            "title": "Vətəndaş cəmiyyəti",
            "slug": "vetendas-cemiyyeti",
            "text": (
                "İnsanlara müxtəlif birliklər vasitəsilə ictimai və fərdi maraqlarını həyata "
                "keçirə bilmək imkanının tanınması vətəndaş cəmiyyətinin təşkilinin əsas "
                "şərtlərindəndir. Güclü vətəndaş cəmiyyətinin mövcudluğu cəmiyyətin sürətli "
                "inkişafının və demokratiyanın geridönməzliyinin əsas təminatçısıdır. Biz digər "
                "vətəndaş cəmiyyəti subyektləri ilə bərabər QHT-lərin cəmiyyətdə yerinin və "
                "rolunun artırılmasına müxtəlif şəkildə dəstək veririk. Bu dəstək, xüsusilə "
                "VCT-lərin bilik və bacarıqlarının artırılması, qanunvericilik bazasının "
                "yaxşılaşdırılması və daha yaxşı fəaliyyət mühitinin formalaşdırılmasına xidmət "
                "edən fəaliyyətlər vasitəsilə göstərilir."
            ),
        },
        "en": {
            "title": "Civil society",
            "slug": "civil-society",
            "text": (
                "Recognising people's ability to pursue their public and private interests "
                "through various associations is one of the basic conditions of a civil society. "
                "A strong civil society is the main guarantor of a society's rapid development "
                "and of the irreversibility of democracy. Together with other civil-society "
                "actors, we support in various ways a greater place and role for NGOs in "
                "society. This support is given above all through activities that build the "
                "knowledge and skills of civil-society organisations (CSOs), improve the "
                "legislative framework and help shape a better operating environment."
            ),
        },
        "ru": {
            "title": "Гражданское общество",
            "slug": "grazhdanskoe-obshchestvo",
            "text": (
                "Признание за людьми возможности реализовывать свои общественные и личные "
                "интересы через различные объединения является одним из основных условий "
                "формирования гражданского общества. Существование сильного гражданского "
                "общества — главный гарант быстрого развития общества и необратимости "
                "демократии. Вместе с другими субъектами гражданского общества мы различными "
                "способами поддерживаем укрепление места и роли НПО в обществе. Эта поддержка "
                "оказывается прежде всего посредством деятельности, направленной на повышение "
                "знаний и навыков организаций гражданского общества (ОГО), совершенствование "
                "законодательной базы и формирование более благоприятной среды для их работы."
            ),
        },
    },
}

PUBLICATIONS = {
    "az": {
        "title": "Xəbərlər və nəşrlər",
        "slug": "xeberler",
        "intro": (
            "<p>Birliyin xəbərləri, bəyanatları, hesabatları, seçici maarifləndirmə və hüquq "
            "bələdçiləri.</p>"
        ),
    },
    "en": {
        "title": "News and publications",
        "slug": "publications",
        "intro": (
            "<p>Birlik's news, statements, reports, voter-education and know-your-rights "
            "guides.</p>"
        ),
    },
    "ru": {
        "title": "Новости и публикации",
        "slug": "publikacii",
        "intro": (
            "<p>Новости, заявления, доклады, пособия для избирателей и руководства о правах "
            "от Бирлик.</p>"
        ),
    },
}
