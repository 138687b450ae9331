"""Forms of the statement pages. They check the shape of the input; the rules themselves live
in statements.services (which the views call), so they hold for every way in."""

from django import forms
from django.utils.translation import gettext_lazy as _

from elections.models import Election
from statements.models import Recommendation, Statement


class StatementCreateForm(forms.Form):
    election = forms.ModelChoiceField(
        label=_("Election"), queryset=Election.objects.order_by("-election_date", "pk")
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Statement.Kind.choices, initial=Statement.Kind.PRELIMINARY
    )


class StatementForm(forms.Form):
    title_az = forms.CharField(label=_("Title (Azerbaijani)"), max_length=300)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    title_ru = forms.CharField(label=_("Title (Russian)"), max_length=300, required=False)
    body_az = forms.CharField(
        label=_("Text (Azerbaijani)"), widget=forms.Textarea(attrs={"rows": 18}), required=False
    )
    body_en = forms.CharField(
        label=_("Text (English)"), widget=forms.Textarea(attrs={"rows": 18}), required=False
    )
    body_ru = forms.CharField(
        label=_("Text (Russian)"), widget=forms.Textarea(attrs={"rows": 18}), required=False
    )
    slug = forms.SlugField(
        label=_("Address"),
        max_length=120,
        help_text=_("The last part of the public page's address; fixed once published."),
    )

    LANGUAGE_FIELDS = {
        "az": ("title_az", "body_az"),
        "en": ("title_en", "body_en"),
        "ru": ("title_ru", "body_ru"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("body_az", "body_en", "body_ru"):
            self.fields[name].help_text = _(
                'Separate paragraphs with a blank line; start a line with "## " for a heading.'
            )

    def languages(self):
        """(label, [bound fields]) per language, for the page's fieldsets."""
        labels = {"az": _("Azerbaijani"), "en": _("English"), "ru": _("Russian")}
        return [
            (code, labels[code], [self[name] for name in names])
            for code, names in self.LANGUAGE_FIELDS.items()
        ]

    @classmethod
    def initial_for(cls, statement: Statement) -> dict:
        return {name: getattr(statement, name) for name in cls.base_fields}


class RecommendationForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    addressee_az = forms.CharField(label=_("To whom (Azerbaijani)"), max_length=200)
    addressee_en = forms.CharField(label=_("To whom (English)"), max_length=200, required=False)
    addressee_ru = forms.CharField(label=_("To whom (Russian)"), max_length=200, required=False)
    text_az = forms.CharField(
        label=_("Recommendation (Azerbaijani)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    text_en = forms.CharField(
        label=_("Recommendation (English)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    text_ru = forms.CharField(
        label=_("Recommendation (Russian)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=Recommendation.Status.choices,
        initial=Recommendation.Status.OPEN,
    )
    position = forms.IntegerField(label=_("Order"), min_value=0, max_value=32767, initial=0)


class BaseRecommendationFormSet(forms.BaseFormSet):
    def items(self) -> list[dict]:
        """What services.update_statement takes: one dict per filled-in or deleted form."""
        items = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data:
                continue  # an extra form left empty
            deleted = data.get("DELETE")
            if deleted and not data.get("id"):
                continue
            item = {key: value for key, value in data.items() if key != "DELETE"}
            item["delete"] = bool(deleted)
            items.append(item)
        return items


RecommendationFormSet = forms.formset_factory(
    RecommendationForm,
    formset=BaseRecommendationFormSet,
    extra=1,
    can_delete=True,
    max_num=50,
    validate_max=True,
)


def recommendation_initial(statement: Statement) -> list[dict]:
    return [
        {
            "id": rec.pk,
            **{name: getattr(rec, name) for name in RecommendationForm.base_fields if name != "id"},
        }
        for rec in statement.recommendations.all()
    ]
