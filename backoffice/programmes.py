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
                _("Election day"),
                _(
                    "The live picture of observers' reports: coverage, alerts, conflicts and "
                    "per-question results, by region."
                ),
                url_name="observation_staff:election_list",
                permission="observation.view_observation",
            ),
            Capability(
                _("Incidents"),
                _("Incident reports from citizens and observers: verification and publication."),
                url_name="incidents_staff:incident_list",
                permission="incidents.view_incident",
            ),
            Capability(
                _("Messages to observers"),
                _("SMS and email to observers chosen by a filter, with delivery status."),
                url_name="messaging_staff:bulk_list",
                permission="messaging.send_bulk_message",
            ),
            Capability(
                _("Result protocols"),
                _(
                    "Protocols from observers and from photos entered twice, arithmetic checks "
                    "and the quarantine."
                ),
                url_name="results_staff:home",
                permission="results.view_results",
            ),
            Capability(
                _("Protocol data entry"),
                _("Enter protocols from photos; a third clerk settles entries that differ."),
                url_name="results_staff:entry_queue",
                permission="results.enter_protocols",
            ),
            Capability(
                _("Quick count"),
                _(
                    "Stratified sample design and draw, and estimates with margins of error as "
                    "reports arrive."
                ),
                url_name="quickcount_staff:design_list",
                permission="quickcount.view_quickcount",
            ),
            Capability(
                _("Official results and forensics"),
                _(
                    "Official per-station results imported and compared with observers' "
                    "protocols and the quick count; statistical tests of the numbers."
                ),
                url_name="forensics_staff:home",
                permission="forensics.view_forensics",
            ),
            Capability(
                _("Statements"),
                _("The preliminary statement drafted from the numbers, with recommendations."),
                url_name="statements_staff:statement_list",
                permission="statements.draft_statement",
            ),
            Capability(
                _("Find my polling station"),
                _("The public page where voters look up their station."),
                url_name="geo:find_station",
            ),
            _PUBLICATIONS,
        ],
        later=[
            _("Tracking recommendations over time, across all four programmes"),
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
