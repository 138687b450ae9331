"""What the staff area offers in each programme today, and what comes in later releases.

A capability is listed as available only when its page exists in this installation (its URL
name resolves) and the user holds its permission; everything else is said plainly to be coming.
"""

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.programmes import Programme


@dataclass(frozen=True)
class Capability:
    title: str | Promise
    description: str | Promise
    url_name: str = ""
    path: str = ""  # for pages outside Django's URL names (the CMS)
    permission: str = ""

    def url(self) -> str | None:
        if self.url_name:
            try:
                return reverse(self.url_name)
            except NoReverseMatch:
                return None
        return self.path or None

    def is_available_to(self, user) -> bool:
        return self.url() is not None and (not self.permission or user.has_perm(self.permission))


@dataclass(frozen=True)
class Section:
    programme: Programme
    intro: str | Promise
    available: list[Capability] = field(default_factory=list)
    later: list[str | Promise] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.programme.value.replace("_", "-")

    @property
    def permission(self) -> str:
        return f"accounts.view_programme_{self.programme.value}"

    @property
    def title(self):
        return self.programme.label

    def available_to(self, user) -> list[dict]:
        return [
            {"title": item.title, "description": item.description, "url": item.url()}
            for item in self.available
            if item.is_available_to(user)
        ]


_PUBLICATIONS = Capability(
    _("News, statements and reports"),
    _("Write and publish pages in the content management system, in three languages."),
    path="/cms/",
    permission="wagtailadmin.access_admin",
)

SECTIONS: list[Section] = [
    Section(
        Programme.ELECTIONS,
        _("Election observation, from the polling-station list to the quick count."),
        available=[
            Capability(
                _("Geography and polling stations"),
                _("Regions, districts, constituencies and polling stations, imported from CSV."),
                url_name="geo_staff:station_list",
                permission="geo.view_pollingstation",
            ),
            Capability(
                _("Elections, contests and candidates"),
                _("Elections, their contests and ballots, and the polling stations taking part."),
                url_name="elections_staff:election_list",
                permission="elections.view_election",
            ),
            Capability(
                _("Observers"),
                _("Applications from observers, and their vetting, training and accreditation."),
                url_name="observers_staff:observer_list",
                permission="observers.view_observer",
            ),
            Capability(
                _("Forms and checklists"),
                _(
                    "Election-day checklists and the incident form in three languages, with "
                    "skip logic, rules and alerts; imported from XLSForm or edited here."
                ),
                url_name="questionnaires_staff:questionnaire_list",
                permission="questionnaires.view_questionnaire",
            ),
            Capability(
                _("Find my polling station"),
                _("The public page where voters look up their station."),
                url_name="geo:find_station",
            ),
            _PUBLICATIONS,
        ],
        later=[
            _("Observer deployment to polling stations, badges and messaging"),
            _("Checklists on election day from the web, an offline phone page and SMS"),
            _("Incident reports with verification and a public map"),
            _("Result protocols with arithmetic checks and double entry"),
            _("Quick count (parallel vote tabulation) with margins of error"),
            _("Official results compared station by station, and statistical forensics"),
        ],
    ),
    Section(
        Programme.PARTICIPATION,
        _("Citizens' voice in public decisions, and oversight of state bodies."),
        available=[_PUBLICATIONS],
        later=[
            _("Petitions with verified signatures, thresholds and deadlines"),
            _("Consultations on draft laws, commented article by article"),
            _("Surveys with results, cross-tabulations and exports"),
            _(
                "Information requests to state bodies, with legal deadlines and a "
                "responsiveness table"
            ),
        ],
    ),
    Section(
        Programme.HUMAN_RIGHTS,
        _("Legal aid and the documentation of violations, under strict confidentiality."),
        available=[],
        later=[
            _("Know-your-rights library"),
            _("Legal-aid intake (anonymous allowed), triage and case files"),
            _(
                "Violation documentation with evidence, chain of custody and encrypted "
                "identifying fields"
            ),
            _("Redacted publication of documented cases"),
        ],
    ),
    Section(
        Programme.CIVIL_SOCIETY,
        _("A stronger civil society: organisations, skills and the laws that affect them."),
        available=[_PUBLICATIONS],
        later=[
            _("Directory of civil-society organisations with public profiles and a map"),
            _("Trainings with applications, attendance, tests and verifiable certificates"),
            _("Legislation monitor for laws and drafts on CSOs, elections and rights"),
            _("Recommendations tracker across all four programmes"),
        ],
    ),
]


def section_for_slug(slug: str) -> Section | None:
    return next((section for section in SECTIONS if section.slug == slug), None)


def sections_for(user) -> list[Section]:
    return [section for section in SECTIONS if user.has_perm(section.permission)]
