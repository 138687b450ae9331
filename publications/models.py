"""The public site as Wagtail pages: one home page per language, a page per programme, the
publications index and its articles (news, statements, reports and guides).

Every page exists once per language as a Wagtail translation (same translation_key, its own
locale and slug), so URLs read /az/xeberler/..., /en/publications/..., /ru/publikacii/....
"""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from core.programmes import Programme
from publications.blocks import RICH_TEXT_FEATURES, ArticleBodyBlock, ProgrammeBlock

ARTICLES_PER_PAGE = 10


class ArticleKind(models.TextChoices):
    NEWS = "news", _("News")
    STATEMENT = "statement", _("Statement")
    REPORT = "report", _("Report")
    VOTER_GUIDE = "voter_guide", _("Voter-education guide")
    RIGHTS_GUIDE = "rights_guide", _("Know-your-rights guide")


class PublicPageQuerySet(PageQuerySet):
    def published_in(self, locale) -> "PublicPageQuerySet":
        """Live, publicly visible pages in one language."""
        return self.live().public().filter(locale=locale)


class ArticleQuerySet(PublicPageQuerySet):
    def filtered(self, *, programme=None, kind=None, tag=None) -> "ArticleQuerySet":
        queryset = self
        if programme:
            queryset = queryset.filter(programme=programme)
        if kind:
            queryset = queryset.filter(kind=kind)
        if tag:
            queryset = queryset.filter(tags__name__iexact=tag).distinct()
        return queryset

    def newest_first(self) -> "ArticleQuerySet":
        return self.order_by("-date", "-first_published_at", "-pk")


class TranslatedSitemapMixin:
    """Sitemap entries that name the page's translations (hreflang alternates)."""

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        translations = (
            self.get_translations(inclusive=True).live().public().select_related("locale")
        )
        alternates = [
            {"lang_code": translation.locale.language_code, "location": url}
            for translation in translations
            if (url := translation.get_full_url(request))
        ]
        for entry in urls:
            entry["alternates"] = alternates
        return urls


class HomePage(TranslatedSitemapMixin, Page):
    """The site root in one language: what the association does, programme by programme."""

    heading = models.CharField(_("heading"), max_length=200)
    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)
    programmes = StreamField(
        [("programme", ProgrammeBlock())], verbose_name=_("programmes"), blank=True
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("heading"),
        FieldPanel("intro"),
        FieldPanel("programmes"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["publications.ProgrammePage", "publications.ArticleIndexPage"]
    template = "publications/home_page.html"

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_articles"] = ArticlePage.objects.published_in(self.locale).newest_first()[
            :3
        ]
        context["articles_index"] = ArticleIndexPage.objects.published_in(self.locale).first()
        return context


class ProgrammePage(TranslatedSitemapMixin, Page):
    """One of the four programmes, with its latest publications."""

    programme = models.CharField(_("programme"), max_length=32, choices=Programme.choices)
    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("programme"), FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["publications.HomePage"]
    subpage_types = []
    template = "publications/programme_page.html"

    objects = PageManager.from_queryset(PublicPageQuerySet)()

    class Meta:
        verbose_name = _("programme page")
        verbose_name_plural = _("programme pages")

    def clean(self):
        super().clean()
        others = ProgrammePage.objects.filter(locale_id=self.locale_id, programme=self.programme)
        if self.pk:
            others = others.exclude(pk=self.pk)
        if self.programme and others.exists():
            raise ValidationError(
                {"programme": _("This language already has a page for this programme.")}
            )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_articles"] = (
            ArticlePage.objects.published_in(self.locale)
            .filter(programme=self.programme)
            .newest_first()[:6]
        )
        context["articles_index"] = ArticleIndexPage.objects.published_in(self.locale).first()
        return context


class ArticleIndexPage(TranslatedSitemapMixin, Page):
    """All publications in one language, filtered by programme, kind or tag, ten a page."""

    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["publications.HomePage"]
    subpage_types = ["publications.ArticlePage"]
    max_count_per_parent = 1
    template = "publications/article_index_page.html"

    objects = PageManager.from_queryset(PublicPageQuerySet)()

    class Meta:
        verbose_name = _("publications index")
        verbose_name_plural = _("publications indexes")

    def get_context(self, request, *args, **kwargs):
        from publications.forms import ArticleFilterForm  # the form imports this module

        context = super().get_context(request, *args, **kwargs)
        form = ArticleFilterForm(request.GET)
        form.is_valid()  # invalid values are reported beside the field and ignored
        filters = {name: value for name, value in form.cleaned_data.items() if value}
        articles = (
            ArticlePage.objects.child_of(self)
            .live()
            .public()
            .filtered(
                programme=filters.get("programme"),
                kind=filters.get("kind"),
                tag=filters.get("tag"),
            )
            .newest_first()
        )
        context["filter_form"] = form
        context["is_filtered"] = bool(filters)
        context["page_obj"] = Paginator(articles, ARTICLES_PER_PAGE).get_page(
            request.GET.get("page")
        )
        return context


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "publications.ArticlePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class ArticlePage(TranslatedSitemapMixin, Page):
    """A news item, statement, report or guide, with its PDF attachments."""

    kind = models.CharField(_("kind"), max_length=20, choices=ArticleKind.choices)
    programme = models.CharField(_("programme"), max_length=32, choices=Programme.choices)
    date = models.DateField(_("date"), default=timezone.localdate)
    summary = models.TextField(
        _("summary"), max_length=500, help_text=_("One or two sentences for lists and feeds.")
    )
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"), blank=True)
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True, verbose_name=_("tags"))
    is_demo = models.BooleanField(
        _("demo content"),
        default=False,
        help_text=_("Written to show the platform; not a real publication of the association."),
    )

    objects = PageManager.from_queryset(ArticleQuerySet)()

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("kind"), FieldPanel("programme"), FieldPanel("date")],
            heading=_("Classification"),
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("attachments", label=_("PDF attachments")),
        FieldPanel("tags"),
    ]
    settings_panels = [*Page.settings_panels, FieldPanel("is_demo")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("programme"),
        index.FilterField("kind"),
        index.FilterField("date"),
    ]

    parent_page_types = ["publications.ArticleIndexPage"]
    subpage_types = []
    template = "publications/article_page.html"

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["programme_page"] = (
            ProgrammePage.objects.published_in(self.locale).filter(programme=self.programme).first()
        )
        return context


class ArticleAttachment(Orderable):
    page = ParentalKey(ArticlePage, related_name="attachments", on_delete=models.CASCADE)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(
        _("link text"),
        max_length=255,
        blank=True,
        help_text=_("Defaults to the document's title."),
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    @property
    def label(self) -> str:
        return self.title or self.document.title
