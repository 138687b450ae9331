"""Staff pages for forms, under /<lang>/staff/forms/: the list, a form's preview (with "try it"
and its version history), creating and importing forms, and the draft editor. Viewing needs
questionnaires.view_questionnaire, creating or importing questionnaires.add_questionnaire, and
every change questionnaires.change_questionnaire."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from backoffice.decorators import staff_required
from core.forms import save_through_service
from questionnaires import services
from questionnaires.describe import describe
from questionnaires.engine import LANGUAGES, label, question_map, validate_schema
from questionnaires.forms import (
    LANGUAGE_NAMES,
    TYPE_NAMES,
    MoveForm,
    PublishForm,
    QuestionForm,
    QuestionnaireFilterForm,
    QuestionnaireForm,
    RuleForm,
    SectionForm,
    XLSFormImportForm,
)
from questionnaires.models import Questionnaire, QuestionnaireVersion
from questionnaires.preview import answers_from_post, build_preview
from questionnaires.xlsform import import_xlsform

VIEW = "questionnaires.view_questionnaire"
ADD = "questionnaires.add_questionnaire"
CHANGE = "questionnaires.change_questionnaire"
ERRORS_SHOWN = 200


def _get_questionnaire(pk: int) -> Questionnaire:
    return get_object_or_404(
        Questionnaire.objects.select_related("election", "current_version"), pk=pk
    )


def _preview_language(value: str | None) -> str:
    language = (value or get_language() or "az").split("-")[0]
    return language if language in LANGUAGES else "az"


def _wants_fragment(request) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def _chosen_version(questionnaire: Questionnaire, number) -> QuestionnaireVersion | None:
    """The version asked for, else the current one, else the draft."""
    if number:
        try:
            return questionnaire.versions.get(number=int(number))
        except (ValueError, QuestionnaireVersion.DoesNotExist):
            raise Http404 from None
    return questionnaire.current_version or services.draft_of(questionnaire)


# --- List, create, edit, import ---------------------------------------------------------------


@staff_required(VIEW)
@require_GET
@vary_on_headers("HX-Request")
def questionnaire_list(request):
    form = QuestionnaireFilterForm(request.GET or None)
    questionnaires = form.filter(
        Questionnaire.objects.select_related("election", "current_version").annotate(
            version_count=Count("versions")
        )
    )
    context = {"form": form, "questionnaires": questionnaires}
    if _wants_fragment(request):
        return render(request, "questionnaires/staff/_questionnaire_table.html", context)
    return render(request, "questionnaires/staff/questionnaire_list.html", context)


@staff_required(ADD)
@require_http_methods(["GET", "POST"])
def questionnaire_create(request):
    form = QuestionnaireForm(request.POST or None, initial=request.GET.dict() or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        created = save_through_service(
            form, lambda: services.create_questionnaire(actor=request.user, **data)
        )
        if created is not None:
            messages.success(request, _("The form was created. Add its sections and questions."))
            return redirect("questionnaires_staff:draft_editor", pk=created.pk)
    return render(
        request,
        "questionnaires/staff/questionnaire_form.html",
        {"form": form, "questionnaire": None},
    )


@staff_required(CHANGE)
@require_http_methods(["GET", "POST"])
def questionnaire_edit(request, pk: int):
    questionnaire = _get_questionnaire(pk)
    form = QuestionnaireForm(request.POST or None, instance=questionnaire)
    if request.method == "POST" and form.is_valid():
        changes = dict(form.cleaned_data)
        if changes.get("position") is None:
            changes.pop("position")
        saved = save_through_service(
            form,
            lambda: services.update_questionnaire(
                actor=request.user, questionnaire=questionnaire, **changes
            ),
        )
        if saved is not None:
            messages.success(request, _("The form was saved."))
            return redirect(saved)
    return render(
        request,
        "questionnaires/staff/questionnaire_form.html",
        {"form": form, "questionnaire": questionnaire},
    )


@staff_required(ADD)
@require_http_methods(["GET", "POST"])
def questionnaire_import(request):
    form = XLSFormImportForm(request.POST or None, request.FILES or None)
    outcome = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("file")
        outcome = save_through_service(
            form, lambda: import_xlsform(upload, actor=request.user, **data)
        )
        if outcome is not None and outcome.ok:
            messages.success(
                request,
                _(
                    "The XLSForm was imported as a draft with %(count)d questions. Check the "
                    "preview, then publish it."
                )
                % {"count": len(question_map(outcome.version.schema))},
            )
            for warning in outcome.warnings[:20]:
                messages.warning(request, str(warning))
            return redirect(
                reverse(
                    "questionnaires_staff:questionnaire_detail", args=[outcome.questionnaire.pk]
                )
                + f"?version={outcome.version.number}"
            )
    failed = outcome is not None and not outcome.ok
    return render(
        request,
        "questionnaires/staff/import.html",
        {
            "form": form,
            "outcome": outcome,
            "errors_shown": outcome.errors[:ERRORS_SHOWN] if failed else [],
            "errors_hidden": max(0, len(outcome.errors) - ERRORS_SHOWN) if failed else 0,
        },
        status=422 if failed or (request.method == "POST" and form.errors) else 200,
    )


# --- Preview, try it, history -----------------------------------------------------------------


@staff_required(VIEW)
@require_GET
@vary_on_headers("HX-Request")
def questionnaire_detail(request, pk: int):
    questionnaire = _get_questionnaire(pk)
    version = _chosen_version(questionnaire, request.GET.get("version"))
    language = _preview_language(request.GET.get("lang"))
    context = _detail_context(questionnaire, version, language)
    if _wants_fragment(request):
        return render(request, "questionnaires/staff/_preview.html", context)
    return render(request, "questionnaires/staff/questionnaire_detail.html", context)


def _detail_context(questionnaire, version, language, raw=None, *, judge=True) -> dict:
    draft = services.draft_of(questionnaire)
    preview = None
    if version is not None:
        # The engine's messages in the form's language, as the observer would read them.
        with translation.override(language):
            preview = build_preview(version.schema, language, raw, judge=judge)
    return {
        "questionnaire": questionnaire,
        "version": version,
        "draft": draft,
        "versions": questionnaire.versions.select_related("created_by").order_by("-number"),
        "language": language,
        "languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
        "preview": preview,
        "tried": raw is not None and judge,
        "publish_problems": validate_schema(draft.schema) if draft else [],
    }


@staff_required(VIEW)
@require_POST
def questionnaire_try(request, pk: int):
    """Check typed answers as a submission would be checked; the preview comes back with the
    errors, the alerts and the questions the skip logic leaves out. With ?live=1 (sent while
    answers are typed) only the skip logic is applied."""
    questionnaire = _get_questionnaire(pk)
    version = _chosen_version(questionnaire, request.POST.get("version"))
    if version is None:
        raise Http404
    language = _preview_language(request.POST.get("lang"))
    raw = answers_from_post(version.schema, request.POST)
    live = request.GET.get("live") == "1"
    context = _detail_context(questionnaire, version, language, raw, judge=not live)
    if live and _wants_fragment(request):
        return render(request, "questionnaires/staff/_preview_live.html", context)
    if _wants_fragment(request):
        return render(request, "questionnaires/staff/_preview.html", context)
    return render(request, "questionnaires/staff/questionnaire_detail.html", context)


@staff_required(CHANGE)
@require_POST
def questionnaire_archive(request, pk: int):
    questionnaire = _get_questionnaire(pk)
    services.archive_questionnaire(questionnaire, request.user)
    messages.success(request, _("The form was archived: observers can no longer send it."))
    return redirect(questionnaire)


@staff_required(CHANGE)
@require_POST
def questionnaire_reopen(request, pk: int):
    questionnaire = _get_questionnaire(pk)
    services.reopen_questionnaire(questionnaire, request.user)
    messages.success(request, _("The form was opened again."))
    return redirect(questionnaire)


# --- The draft editor -------------------------------------------------------------------------


def _editor_url(questionnaire: Questionnaire, anchor: str = "") -> str:
    url = reverse("questionnaires_staff:draft_editor", args=[questionnaire.pk])
    return f"{url}#{anchor}" if anchor else url


def with_draft(view):
    """Give the view the form and its draft; without a draft, back to the editor page."""

    @wraps(view)
    def wrapper(request, pk: int, *args, **kwargs):
        questionnaire = _get_questionnaire(pk)
        draft = services.draft_of(questionnaire)
        if draft is None:
            messages.error(request, _("This form has no draft. Start one first."))
            return redirect(_editor_url(questionnaire))
        return view(request, questionnaire, draft, *args, **kwargs)

    return wrapper


def _run(request, operation, success: str) -> bool:
    """Run a one-click change (move, delete...); a broken rule becomes an error message."""
    try:
        operation()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True


@staff_required(CHANGE)
@require_GET
def draft_editor(request, pk: int):
    questionnaire = _get_questionnaire(pk)
    draft = services.draft_of(questionnaire)
    sections = []
    if draft is not None:
        schema = draft.schema
        for section in schema.get("sections", []):
            sections.append(
                {
                    "code": section.get("code"),
                    "title": label(section.get("label")),
                    "questions": [
                        {
                            "code": question["code"],
                            "text": label(question.get("label")),
                            "type": TYPE_NAMES.get(question.get("type"), question.get("type")),
                            "required": question.get("required", False),
                            "min": question.get("min"),
                            "max": question.get("max"),
                            "options": [
                                (option.get("value"), label(option.get("label")))
                                for option in question.get("options", [])
                            ],
                            "relevant": describe(question.get("relevant"), schema)
                            if question.get("relevant")
                            else "",
                            "alert": describe(question.get("alert"), schema)
                            if question.get("alert")
                            else "",
                        }
                        for question in section.get("questions", [])
                    ],
                }
            )
        rules = [
            {
                "code": rule.get("code"),
                "check": rule.get("check"),
                "words": describe(rule.get("check"), schema),
                "message": label(rule.get("message")),
            }
            for rule in schema.get("rules", []) or []
        ]
    else:
        rules = []
    return render(
        request,
        "questionnaires/staff/draft_editor.html",
        {
            "questionnaire": questionnaire,
            "draft": draft,
            "sections": sections,
            "rules": rules,
            "publish_problems": validate_schema(draft.schema) if draft else [],
            "publish_form": PublishForm(initial={"note": draft.note} if draft else None),
        },
    )


@staff_required(CHANGE)
@require_POST
def draft_start(request, pk: int):
    questionnaire = _get_questionnaire(pk)
    _run(
        request,
        lambda: services.start_draft(questionnaire, request.user),
        _("A draft was started from the current version."),
    )
    return redirect(_editor_url(questionnaire))


@staff_required(CHANGE)
@require_POST
@with_draft
def draft_publish(request, questionnaire, draft):
    form = PublishForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else None
    published = _run(
        request,
        lambda: services.publish_version(draft, request.user, note=note),
        _("Version %(number)d was published; new reports use it.") % {"number": draft.number},
    )
    return redirect(questionnaire if published else _editor_url(questionnaire))


@staff_required(CHANGE)
@require_POST
@with_draft
def draft_discard(request, questionnaire, draft):
    _run(
        request,
        lambda: services.discard_draft(draft, request.user),
        _("The draft was discarded."),
    )
    return redirect(questionnaire)


def _edit_page(request, questionnaire, draft, form, *, title: str, kind: str, cancel_anchor=""):
    return render(
        request,
        "questionnaires/staff/draft_item_form.html",
        {
            "questionnaire": questionnaire,
            "draft": draft,
            "form": form,
            "title": title,
            "kind": kind,
            "cancel_url": _editor_url(questionnaire, cancel_anchor),
            "codes": sorted(question_map(draft.schema)),
        },
    )


def _section_or_404(draft, code: str) -> dict:
    for section in draft.schema.get("sections", []):
        if section.get("code") == code:
            return section
    raise Http404


def _question_or_404(draft, code: str) -> dict:
    question = question_map(draft.schema).get(code)
    if question is None:
        raise Http404
    return question


def _rule_or_404(draft, code: str) -> dict:
    for rule in draft.schema.get("rules", []) or []:
        if rule.get("code") == code:
            return rule
    raise Http404


@staff_required(CHANGE)
@require_http_methods(["GET", "POST"])
@with_draft
def section_create(request, questionnaire, draft):
    form = SectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        section = form.section()
        saved = save_through_service(
            form, lambda: services.add_section(draft, section, request.user)
        )
        if saved is not None:
            messages.success(request, _("The section was added."))
            return redirect(_editor_url(questionnaire, f"section-{section['code']}"))
    return _edit_page(request, questionnaire, draft, form, title=_("Add a section"), kind="section")


@staff_required(CHANGE)
@require_http_methods(["GET", "POST"])
@with_draft
def section_edit(request, questionnaire, draft, code: str):
    section = _section_or_404(draft, code)
    form = SectionForm(request.POST or None, initial=SectionForm.initial_for(section))
    if request.method == "POST" and form.is_valid():
        changes = form.section()
        saved = save_through_service(
            form, lambda: services.update_section(draft, code, changes, request.user)
        )
        if saved is not None:
            messages.success(request, _("The section was saved."))
            return redirect(_editor_url(questionnaire, f"section-{changes['code']}"))
    return _edit_page(
        request,
        questionnaire,
        draft,
        form,
        title=_("Section %(code)s") % {"code": code},
        kind="section",
        cancel_anchor=f"section-{code}",
    )


@staff_required(CHANGE)
@require_POST
@with_draft
def section_delete(request, questionnaire, draft, code: str):
    _section_or_404(draft, code)
    _run(
        request,
        lambda: services.delete_section(draft, code, request.user),
        _("Section %(code)s was deleted.") % {"code": code},
    )
    return redirect(_editor_url(questionnaire))


@staff_required(CHANGE)
@require_POST
@with_draft
def section_move(request, questionnaire, draft, code: str):
    _section_or_404(draft, code)
    form = MoveForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.move_section(draft, code, request.user, offset=form.offset),
            _("Section %(code)s was moved.") % {"code": code},
        )
    return redirect(_editor_url(questionnaire, f"section-{code}"))


@staff_required(CHANGE)
@require_http_methods(["GET", "POST"])
@with_draft
def question_create(request, questionnaire, draft, section: str):
    _section_or_404(draft, section)
    form = QuestionForm(request.POST or None, initial={"required": True})
    if request.method == "POST" and form.is_valid():
        question = form.question()
        saved = save_through_service(
            form, lambda: services.add_question(draft, section, question, request.user)
        )
        if saved is not None:
            messages.success(
                request, _("Question %(code)s was added.") % {"code": question["code"]}
            )
            return redirect(_editor_url(questionnaire, f"question-{question['code']}"))
    return _edit_page(
        request,
        questionnaire,
        draft,
        form,
        title=_("Add a question to section %(code)s") % {"code": section},
        kind="question",
        cancel_anchor=f"section-{section}",
    )


@staff_required(CHANGE)
@require_http_methods(["GET", "POST"])
@with_draft
def question_edit(request, questionnaire, draft, code: str):
    question = _question_or_404(draft, code)
    form = QuestionForm(request.POST or None, initial=QuestionForm.initial_for(question))
    if request.method == "POST" and form.is_valid():
        changed = form.question()
        saved = save_through_service(
            form, lambda: services.update_question(draft, code, changed, request.user)
        )
        if saved is not None:
            messages.success(request, _("Question %(code)s was saved.") % {"code": changed["code"]})
            return redirect(_editor_url(questionnaire, f"question-{changed['code']}"))
    return _edit_page(
        request,
        questionnaire,
        draft,
        form,
        title=_("Question %(code)s") % {"code": code},
        kind="question",
        cancel_anchor=f"question-{code}",
    )


@staff_required(CHANGE)
@require_POST
@with_draft
def question_delete(request, questionnaire, draft, code: str):
    _question_or_404(draft, code)
    _run(
        request,
        lambda: services.delete_question(draft, code, request.user),
        _("Question %(code)s was deleted.") % {"code": code},
    )
    return redirect(_editor_url(questionnaire))


@staff_required(CHANGE)
@require_POST
@with_draft
def question_move(request, questionnaire, draft, code: str):
    _question_or_404(draft, code)
    form = MoveForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.move_question(draft, code, request.user, offset=form.offset),
            _("Question %(code)s was moved.") % {"code": code},
        )
    return redirect(_editor_url(questionnaire, f"question-{code}"))


@staff_required(CHANGE)
@require_http_methods(["GET", "POST"])
@with_draft
def rule_create(request, questionnaire, draft):
    taken = {rule.get("code") for rule in draft.schema.get("rules", []) or []}
    number = 1
    while f"R{number}" in taken:
        number += 1
    form = RuleForm(request.POST or None, initial={"code": f"R{number}"})
    if request.method == "POST" and form.is_valid():
        rule = form.rule()
        saved = save_through_service(form, lambda: services.add_rule(draft, rule, request.user))
        if saved is not None:
            messages.success(request, _("Rule %(code)s was added.") % {"code": rule["code"]})
            return redirect(_editor_url(questionnaire, "rules"))
    return _edit_page(
        request,
        questionnaire,
        draft,
        form,
        title=_("Add a rule"),
        kind="rule",
        cancel_anchor="rules",
    )


@staff_required(CHANGE)
@require_http_methods(["GET", "POST"])
@with_draft
def rule_edit(request, questionnaire, draft, code: str):
    rule = _rule_or_404(draft, code)
    form = RuleForm(request.POST or None, initial=RuleForm.initial_for(rule))
    if request.method == "POST" and form.is_valid():
        changed = form.rule()
        saved = save_through_service(
            form, lambda: services.update_rule(draft, code, changed, request.user)
        )
        if saved is not None:
            messages.success(request, _("Rule %(code)s was saved.") % {"code": changed["code"]})
            return redirect(_editor_url(questionnaire, "rules"))
    return _edit_page(
        request,
        questionnaire,
        draft,
        form,
        title=_("Rule %(code)s") % {"code": code},
        kind="rule",
        cancel_anchor="rules",
    )


@staff_required(CHANGE)
@require_POST
@with_draft
def rule_delete(request, questionnaire, draft, code: str):
    _rule_or_404(draft, code)
    _run(
        request,
        lambda: services.delete_rule(draft, code, request.user),
        _("Rule %(code)s was deleted.") % {"code": code},
    )
    return redirect(_editor_url(questionnaire, "rules"))
