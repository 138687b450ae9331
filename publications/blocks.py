"""StreamField blocks for the public pages. Each renders with a template of its own, with no
inline style or script (the site's Content-Security-Policy forbids both)."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from core.programmes import Programme

RICH_TEXT_FEATURES = ["h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        label = _("Heading")
        template = "publications/blocks/heading.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Attribution"), required=False)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "publications/blocks/quote.html"


class FigureBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Text alternative"),
        help_text=_("What the image shows, for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "publications/blocks/figure.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    label = blocks.CharBlock(
        label=_("Link text"), required=False, help_text=_("Defaults to the document's title.")
    )

    class Meta:
        icon = "doc-full"
        label = _("Document (PDF) link")
        template = "publications/blocks/document_link.html"


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), features=RICH_TEXT_FEATURES)
    heading = HeadingBlock()
    quote = QuoteBlock()
    image = FigureBlock()
    document = DocumentLinkBlock()


class ProgrammeBlock(blocks.StructBlock):
    programme = blocks.ChoiceBlock(label=_("Programme"), choices=Programme.choices)
    title = blocks.CharBlock(label=_("Title"))
    text = blocks.TextBlock(label=_("Text"))
    page = blocks.PageChooserBlock(
        label=_("Programme page"), page_type="publications.ProgrammePage", required=False
    )

    class Meta:
        icon = "list-ul"
        label = _("Programme")
        template = "publications/blocks/programme.html"
