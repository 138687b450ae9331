from django import forms
from django.utils.translation import gettext_lazy as _

from core.programmes import Programme
from publications.models import ArticleKind


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Words to search for"), max_length=200, required=False, widget=forms.SearchInput
    )
    programme = forms.ChoiceField(
        label=_("Programme"),
        choices=[("", _("All programmes")), *Programme.choices],
        required=False,
    )


class ArticleFilterForm(forms.Form):
    programme = forms.ChoiceField(
        label=_("Programme"),
        choices=[("", _("All programmes")), *Programme.choices],
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *ArticleKind.choices], required=False
    )
    tag = forms.CharField(label=_("Tag"), max_length=100, required=False)
