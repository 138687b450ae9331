"""Forms of the staff form pages; saving goes through questionnaires.services (and the engine,
which says what is wrong with a question, a rule or the whole form)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from elections.models import Election
from questionnaires.engine import LANGUAGES, OPTION_VALUE, QUESTION_CODE
from questionnaires.expressions import ExpressionError, compile_expression
from questionnaires.models import Questionnaire
from questionnaires.xlsform import MAX_FILE_SIZE

LANGUAGE_NAMES = {"az": _("Azerbaijani"), "en": _("English"), "ru": _("Russian")}
TYPE_NAMES = {
    "yes_no": _("Yes or no"),
    "number": _("Whole number"),
    "single": _("One choice"),
    "multiple": _("Several choices"),
    "text": _("Text"),
    "time": _("Time"),
    "photo": _("Photo"),
}


class QuestionnaireFilterForm(forms.Form):
    election = forms.ModelChoiceField(
        label=_("Election"),
        queryset=Election.objects.all(),
        required=False,
        empty_label=_("All elections"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All kinds")), *Questionnaire.Kind.choices],
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All statuses")), *Questionnaire.Status.choices],
        required=False,
    )

    def filter(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["election"]:
            queryset = queryset.filter(election=data["election"])
        if data["kind"]:
            queryset = queryset.filter(kind=data["kind"])
        if data["status"]:
            queryset = queryset.filter(status=data["status"])
        return queryset


class QuestionnaireForm(forms.ModelForm):
    class Meta:
        model = Questionnaire
        fields = ["election", "kind", "code", "name_az", "name_en", "name_ru", "position"]
        help_texts = {"election": _("Leave empty for a form used outside elections.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].required = False
        self.fields["code"].widget.attrs.update(
            {"autocapitalize": "characters", "spellcheck": "false"}
        )

    def clean_code(self):
        return (self.cleaned_data.get("code") or "").strip().upper()

    def _post_clean(self):
        # The rules (one code per election) are checked by questionnaires.services.
        pass


class XLSFormImportForm(forms.Form):
    file = forms.FileField(
        label=_("XLSForm (.xlsx)"),
        help_text=_("An XLSForm workbook as made for ODK or KoBoToolbox, at most 5 MB."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    election = forms.ModelChoiceField(
        label=_("Election"),
        queryset=Election.objects.all(),
        required=False,
        empty_label=_("No election"),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Questionnaire.Kind.choices)
    code = forms.RegexField(
        label=_("Code"),
        regex=r"^[A-Za-z]{1,4}$",
        max_length=4,
        help_text=Questionnaire._meta.get_field("code").help_text,
        error_messages={"invalid": _("A form code is one to four capital letters.")},
    )
    name_az = forms.CharField(
        label=_("Name (Azerbaijani)"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the form title from the workbook's settings sheet."),
    )
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=200, required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_SIZE:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload

    def clean_code(self):
        return self.cleaned_data["code"].upper()


class SectionForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("A short code of its own, for example A or OPENING."),
    )
    label_az = forms.CharField(label=_("Title (Azerbaijani)"), max_length=300)
    label_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    label_ru = forms.CharField(label=_("Title (Russian)"), max_length=300, required=False)

    @classmethod
    def initial_for(cls, section: dict) -> dict:
        return {"code": section.get("code", ""), **_split_labels("label", section.get("label"))}

    def section(self) -> dict:
        data = self.cleaned_data
        return {"code": data["code"].strip(), "label": _join_labels("label", data)}


def _split_labels(prefix: str, value) -> dict:
    value = value if isinstance(value, dict) else {"az": value or ""}
    return {f"{prefix}_{code}": value.get(code, "") for code in LANGUAGES}


def _join_labels(prefix: str, data: dict) -> dict:
    return {
        code: data[f"{prefix}_{code}"].strip() for code in LANGUAGES if data.get(f"{prefix}_{code}")
    }


def _check_expression(text: str) -> str:
    text = (text or "").strip()
    if text:
        try:
            compile_expression(text)
        except ExpressionError as error:
            raise forms.ValidationError(
                _("This condition cannot be read: %(error)s.") % {"error": error}
            ) from None
    return text


EXPRESSION_HELP = _(
    "Question codes with == != < <= > >=, and, or, not, + - * /, yes and no, "
    "selected(C1, '2'), answered(D1), count(C1). For example: A1 == no"
)


class QuestionForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=6,
        help_text=_("One to three capital letters and up to three digits, for example B12."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )
    type = forms.ChoiceField(label=_("Type of answer"), choices=list(TYPE_NAMES.items()))
    label_az = forms.CharField(
        label=_("Question (Azerbaijani)"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    label_en = forms.CharField(
        label=_("Question (English)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    label_ru = forms.CharField(
        label=_("Question (Russian)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    hint_az = forms.CharField(label=_("Hint (Azerbaijani)"), max_length=500, required=False)
    hint_en = forms.CharField(label=_("Hint (English)"), max_length=500, required=False)
    hint_ru = forms.CharField(label=_("Hint (Russian)"), max_length=500, required=False)
    required = forms.BooleanField(
        label=_("An answer is required whenever the question is asked"), required=False
    )
    min = forms.IntegerField(
        label=_("Smallest number allowed"),
        required=False,
        min_value=-(10**9),
        max_value=10**9,
        help_text=_("Whole numbers only; leave empty for no limit."),
    )
    max = forms.IntegerField(
        label=_("Largest number allowed"), required=False, min_value=-(10**9), max_value=10**9
    )
    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
        help_text=_(
            "For one or several choices: one option a line, as value | Azerbaijani | English "
            "| Russian, for example: 1 | Bəli | Yes | Да"
        ),
    )
    relevant = forms.CharField(
        label=_("Ask only when (skip logic)"),
        required=False,
        max_length=1000,
        help_text=EXPRESSION_HELP,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    alert = forms.CharField(
        label=_("Raise an alert when (critical answer)"),
        required=False,
        max_length=1000,
        help_text=_("For example A1 == no, or B2 > 0."),
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )

    @classmethod
    def initial_for(cls, question: dict) -> dict:
        options = "\n".join(
            " | ".join(
                [
                    str(option.get("value", "")),
                    *[
                        (option.get("label") or {}).get(code, "")
                        if isinstance(option.get("label"), dict)
                        else str(option.get("label", ""))
                        for code in LANGUAGES
                    ],
                ]
            ).rstrip(" |")
            for option in question.get("options", [])
        )
        return {
            "code": question.get("code", ""),
            "type": question.get("type", ""),
            **_split_labels("label", question.get("label")),
            **_split_labels("hint", question.get("hint")),
            "required": bool(question.get("required")),
            "min": question.get("min"),
            "max": question.get("max"),
            "options": options,
            "relevant": question.get("relevant", ""),
            "alert": question.get("alert", ""),
        }

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        if not QUESTION_CODE.match(code):
            raise forms.ValidationError(
                _("Use one to three capital letters followed by up to three digits, e.g. B12.")
            )
        return code

    def clean_relevant(self):
        return _check_expression(self.cleaned_data.get("relevant"))

    def clean_alert(self):
        return _check_expression(self.cleaned_data.get("alert"))

    def clean(self):
        data = super().clean()
        kind = data.get("type")
        if kind in ("single", "multiple"):
            try:
                data["option_list"] = parse_options(data.get("options", ""))
            except forms.ValidationError as error:
                self.add_error("options", error)
            else:
                if len(data["option_list"]) < 2:
                    self.add_error("options", _("Give at least two options, one a line."))
        low, high = data.get("min"), data.get("max")
        if kind == "number" and low is not None and high is not None and low > high:
            self.add_error("max", _("The largest number must not be below the smallest."))
        return data

    def question(self) -> dict:
        data = self.cleaned_data
        question = {
            "code": data["code"],
            "type": data["type"],
            "label": _join_labels("label", data),
            "hint": _join_labels("hint", data),
            "required": data["required"],
            "relevant": data["relevant"],
            "alert": data["alert"],
        }
        if data["type"] == "number":
            question["min"] = data["min"]
            question["max"] = data["max"]
        if data["type"] in ("single", "multiple"):
            question["options"] = data["option_list"]
        return question


def parse_options(text: str) -> list[dict]:
    """ "value | az | en | ru" lines into options; errors name the line."""
    options, errors, seen = [], [], set()
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        value, labels = parts[0], parts[1:4]
        if len(parts) > 4:
            errors.append(
                _("Line %(line)d has more than four parts; use value | az | en | ru.")
                % {"line": number}
            )
        if not OPTION_VALUE.match(value):
            errors.append(
                _("Line %(line)d: the value “%(value)s” may only use letters, digits or _.")
                % {"line": number, "value": value}
            )
        elif value in seen:
            errors.append(
                _("Line %(line)d: the value %(value)s is used twice.")
                % {"line": number, "value": value}
            )
        seen.add(value)
        if not labels or not labels[0]:
            errors.append(_("Line %(line)d has no Azerbaijani text.") % {"line": number})
        options.append(
            {
                "value": value,
                "label": {
                    code: text for code, text in zip(LANGUAGES, labels, strict=False) if text
                },
            }
        )
    if errors:
        raise forms.ValidationError(errors)
    return options


class RuleForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=20, help_text=_("A short code of its own, for example R1.")
    )
    check = forms.CharField(
        label=_("These answers must agree"),
        max_length=1000,
        help_text=_("For example B3 <= B1 (ballots cast are not more than registered voters)."),
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    message_az = forms.CharField(label=_("Message when broken (Azerbaijani)"), max_length=500)
    message_en = forms.CharField(
        label=_("Message when broken (English)"), max_length=500, required=False
    )
    message_ru = forms.CharField(
        label=_("Message when broken (Russian)"), max_length=500, required=False
    )

    @classmethod
    def initial_for(cls, rule: dict) -> dict:
        return {
            "code": rule.get("code", ""),
            "check": rule.get("check", ""),
            **_split_labels("message", rule.get("message")),
        }

    def clean_check(self):
        text = _check_expression(self.cleaned_data.get("check"))
        if not text:
            raise forms.ValidationError(_("Write the condition the answers must meet."))
        return text

    def rule(self) -> dict:
        data = self.cleaned_data
        return {
            "code": data["code"].strip(),
            "check": data["check"],
            "message": _join_labels("message", data),
        }


class PublishForm(forms.Form):
    note = forms.CharField(
        label=_("What changed"),
        max_length=300,
        required=False,
        help_text=_("A line for the version history, for example “B4 added”."),
    )


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])

    @property
    def offset(self) -> int:
        return -1 if self.cleaned_data["direction"] == "up" else 1
