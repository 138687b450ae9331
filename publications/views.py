"""The public search page: articles in the language being read."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET
from wagtail.models import Locale

from publications import selectors
from publications.forms import SearchForm

RESULTS_PER_PAGE = 10


@require_GET
def search(request):
    form = SearchForm(request.GET)
    query = ""
    page_obj = None
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
    if query:
        results = selectors.article_search(
            locale=Locale.get_active(),
            query=query,
            programme=form.cleaned_data["programme"],
        )
        page_obj = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "publications/search.html",
        {"form": form, "query": query, "page_obj": page_obj},
    )
