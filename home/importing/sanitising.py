"""Legacy body HTML into BodyBlock's blocks, keeping nothing a browser would run.

An old CMS hands over each body as one blob: layout divs, inline styles, scripts, frames,
headings and tables. Headings, tables and block quotes become blocks of their own; everything
between them becomes a "paragraph" block, cleaned by the whitelister of Wagtail's own rich text
conversion (`DbWhitelister`), limited to the features of BodyBlock's paragraph. It unwraps unknown
tags, drops every attribute but a checked `href` and every URL scheme but http(s), ftp, mailto and
tel. Elements whose *content* is dangerous or meaningless as text (script, style, frames, forms)
are removed beforehand with their content, since unwrapping them would show their code as text.
"""

from dataclasses import dataclass
from functools import cache
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Comment, NavigableString
from django.utils.html import escape
from wagtail.admin.rich_text.converters.editor_html import (
    DbWhitelister,
    EditorHTMLConverter,
    WhitelistRule,
)
from wagtail.whitelist import allow_without_attributes, check_url

from home.blocks import RICH_TEXT_FEATURES

from .errors import LineError
from .tables import table_value
from .text import plain_text

REMOVED_WITH_CONTENT = [
    "script", "style", "noscript", "template", "head", "title", "meta", "link", "base",
    "iframe", "frame", "frameset", "object", "embed", "applet", "video", "audio", "canvas",
    "svg", "math", "form", "button", "input", "select", "textarea", "map",
]  # fmt: skip
EMBEDDED_MEDIA = ["iframe", "frame", "object", "embed", "video", "audio"]
HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]
STRUCTURE = [*HEADINGS, "table", "blockquote"]
# Layout wrappers: their children are laid out one after another, never kept as a wrapper.
CONTAINERS = {
    "html", "body", "div", "section", "article", "main", "header", "footer", "aside", "nav",
    "center", "figure", "fieldset",
}  # fmt: skip
BLOCK_LEVEL = CONTAINERS | {"p", "ul", "ol", "li", "dl", "dt", "dd", "pre", "address", "hr"}
EMPTY_WHEN_TEXTLESS = ["p", "li", "ul", "ol"]
# Old editors nest wrappers hundreds deep; the walk and Wagtail's whitelister recurse, so
# elements deeper than this are unwrapped (their text stays) before either sees them. Beyond
# MAX_INPUT_NESTING the body is refused: unwrapping costs time with the square of the depth.
MAX_NESTING = 40
MAX_INPUT_NESTING = 1000


@dataclass(frozen=True)
class Body:
    """The blocks of one body (StreamField raw data), and what could not come along."""

    blocks: list
    images: int = 0
    media: int = 0

    @property
    def warnings(self):
        lost = []
        if self.images:
            lost.append(f"{self.images} 张图片")
        if self.media:
            lost.append(f"{self.media} 个内嵌媒体或框架")
        if not lost:
            return []
        return [f"正文中的 {'、'.join(lost)}未导入，请在管理后台另行上传后插入"]


def sanitise_body(html, base_url):
    """The Body of `html`; relative links are resolved against `base_url` (the legacy URL)."""
    soup = BeautifulSoup(html, "html.parser")
    _flatten_deep_nesting(soup)
    images = len(soup.find_all("img"))
    media = len(soup.find_all(EMBEDDED_MEDIA))
    for element in soup.find_all(REMOVED_WITH_CONTENT):
        element.decompose()
    for comment in soup.find_all(string=lambda text: isinstance(text, Comment)):
        comment.extract()
    _resolve_links(soup, base_url)
    builder = _BlockBuilder()
    builder.walk(soup)
    builder.end_paragraph()
    return Body(blocks=builder.blocks, images=images, media=media)


def _flatten_deep_nesting(soup):
    elements = soup.find_all(True)  # document order: parents first
    depths = {id(soup): 0}
    for element in elements:
        depths[id(element)] = depths[id(element.parent)] + 1
    deepest = max(depths.values())
    if deepest > MAX_INPUT_NESTING:
        raise LineError(
            f"正文 HTML 嵌套达 {deepest} 层（上限 {MAX_INPUT_NESTING} 层），请先清理后再导入"
        )
    if deepest <= MAX_NESTING:
        return
    # Once an element is unwrapped its children rise to its depth and are unwrapped in turn.
    depths = {id(soup): 0}
    for element in elements:
        depth = depths[id(element.parent)] + 1
        if depth > MAX_NESTING:
            element.unwrap()
        else:
            depths[id(element)] = depth


def _resolve_links(soup, base_url):
    """Absolute links that keep pointing where they pointed; links that cannot are unwrapped.

    A relative link meant something only next to the old page; resolved against the legacy URL
    it reaches the old address, which the import's redirects answer once the old host points at
    the platform. In-page anchors and javascript: links keep their text and lose the link.
    """
    for link in soup.find_all("a"):
        href = (link.get("href") or "").strip()
        absolute = urljoin(base_url, href) if href and not href.startswith("#") else None
        if absolute and check_url(absolute):
            link.attrs = {"href": absolute}
        else:
            link.unwrap()


class _BlockBuilder:
    """Walks the tree once, cutting it into blocks at every heading, table and block quote."""

    def __init__(self):
        self.blocks = []
        self.fragments = []  # HTML of the paragraph block being gathered
        self.inline = []  # loose text and inline elements waiting for a <p>

    def walk(self, parent):
        for node in list(parent.children):
            if isinstance(node, NavigableString):
                self.inline.append(escape(str(node)))
            elif node.name in HEADINGS:
                self._add("heading", plain_text(node).replace("\n", " "))
            elif node.name == "table":
                self._add("table", table_value(node))
            elif node.name == "blockquote":
                self._add_quote(node)
            elif node.name in CONTAINERS or node.find(STRUCTURE):
                self._walk_into(node)
            elif node.name in BLOCK_LEVEL:
                self._end_inline()
                self.fragments.append(node.decode())
            else:
                self.inline.append(node.decode())

    def end_paragraph(self):
        self._end_inline()
        html = rich_text("".join(self.fragments))
        self.fragments = []
        if html:
            self.blocks.append({"type": "paragraph", "value": html})

    def _walk_into(self, node):
        # A block-level element ends the line before and after it; an inline one (a <font> or
        # <strong> wrapped around a heading, say) does not.
        block_level = node.name in BLOCK_LEVEL
        if block_level:
            self._end_inline()
        self.walk(node)
        if block_level:
            self._end_inline()

    def _end_inline(self):
        if self.inline:
            self.fragments.append(f"<p>{''.join(self.inline)}</p>")
            self.inline = []

    def _add(self, block_type, value):
        self.end_paragraph()
        if value:
            self.blocks.append({"type": block_type, "value": value})

    def _add_quote(self, node):
        footer = node.find("footer")
        source = plain_text(footer).lstrip("—–- ") if footer else ""
        if footer:
            footer.extract()
        quote = plain_text(node)
        self._add("quote", {"quote": quote, "source": source} if quote else None)


def rich_text(html):
    """`html` as paragraph rich text in Wagtail's database format; "" when no text is left."""
    cleaned = BeautifulSoup(_whitelister().clean(html), "html.parser")
    for element in reversed(cleaned.find_all(EMPTY_WHEN_TEXTLESS)):
        if not element.get_text().strip():
            element.decompose()
    if not cleaned.get_text().strip():
        return ""
    # Serialised the way DbWhitelister does, with double-quoted attributes, which the rich text
    # rewriters that expand links on output expect.
    return cleaned.decode(formatter=escape)


@cache
def _whitelister():
    # Wagtail registers no editor-HTML rule for "superscript", which the paragraph block allows
    # (m², 10⁴); without this rule m<sup>2</sup> would come out as m2.
    rules = EditorHTMLConverter(features=RICH_TEXT_FEATURES).converter_rules
    if "superscript" in RICH_TEXT_FEATURES:
        rules = [*rules, WhitelistRule("sup", allow_without_attributes)]
    return DbWhitelister(rules)
