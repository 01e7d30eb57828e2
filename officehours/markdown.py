"""The one place where user-written Markdown (questions, answers, FAQ entries) becomes HTML.

Two layers, so that one mistake does not become an XSS hole:

1. Python-Markdown runs without its raw-HTML handling, so `<script>`, `<b>` or `<img onerror=…>`
   typed by a user come out as visible, escaped text. Only a small set of extensions is enabled
   (no attr_list, md_in_html, footnotes or abbr). Links whose URL is not absolute
   http/https/mailto lose their link and keep their text, headings move down two levels (`#` is
   `<h3>`, the page owns h1/h2) and images are not parsed (`![alt](url)` is shown as a link).
2. nh3 (ammonia) cleans the result against an allow-list of tags, attributes and URL schemes,
   and denies relative URLs. It is the safety net if the first layer ever lets something through.

Input is cut at MAX_INPUT_LENGTH characters and MAX_INPUT_LINES lines, and link parsing is
replaced by linear-time versions, so rendering stays well under a second however the text is
shaped. Forms should enforce the same limits so that nothing is cut silently.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable

import markdown
import nh3
from django.utils.html import escape, linebreaks
from django.utils.safestring import SafeString, mark_safe
from markdown import util
from markdown.inlinepatterns import (
    InlineProcessor,
    LinkInlineProcessor,
    ReferenceInlineProcessor,
    ShortReferenceInlineProcessor,
    dequote,
)
from markdown.treeprocessors import Treeprocessor

MAX_INPUT_LENGTH = 20_000
# Python-Markdown's block parser re-scans the rest of a block after each line it splits off
# (tables, # headers), so time grows with lines x length; 10,000 one-character lines took seconds.
MAX_INPUT_LINES = 1_000

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a",
        "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "hr",
    }
)  # fmt: skip
URL_SCHEMES = frozenset({"http", "https", "mailto"})

_ALIGN = {"align": {"left", "center", "right"}}
_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    # ol[start] keeps "3. item" numbered 3; nh3 escapes the value and it carries no URL.
    attributes={"a": {"href", "title"}, "ol": {"start"}},
    tag_attribute_values={"th": _ALIGN, "td": _ALIGN},
    url_schemes=set(URL_SCHEMES),
    url_relative="deny",
    link_rel="noopener noreferrer nofollow",
)

_HEADING_SHIFT = {"h1": "h3", "h2": "h4", "h3": "h5", "h4": "h6", "h5": "h6"}
# Browsers ignore ASCII whitespace and control characters inside a URL's scheme.
_URL_IGNORED_CHARS_RE = re.compile(r"[\x00-\x20\x7f]+")
_ALLOWED_URL_RE = re.compile(r"(?:https?|mailto):", re.IGNORECASE)

# Python-Markdown matches link brackets and parentheses with a Python loop from every "[", which
# is quadratic: 20,000 "[" took minutes. These regexes are linear (the character classes cannot
# overlap) and allow one level of nesting: [a [b] c](https://x.se/a_(b)).
_LINK_TEXT_RE = re.compile(r"[^\[\]]*+(?:\[[^\[\]]*+\][^\[\]]*+)*+\]")
_LINK_TARGET_RE = re.compile(
    r"""\(\s*
    (?: <(?P<bracketed>[^<>\n]*)>
      | (?P<bare>[^\s()<>]*+(?:\([^\s()]*+\)[^\s()<>]*+)*+)
    )
    (?:\s+(?P<title>"[^"]*"|'[^']*'))?
    \s*\)""",
    re.VERBOSE,
)
# Parentheses only in balanced pairs, so "(see https://x.se/a)" leaves the ")" out of the link.
# \x02 and \x03 delimit Python-Markdown's placeholders (code spans, escapes): a URL ends there.
_URL_CHAR = r"""[^\s<>\[\]"'()\x02\x03]"""
_BARE_URL_RE = rf"(?<![A-Za-z0-9])https?://(?:{_URL_CHAR}|\({_URL_CHAR}*+\))++"


def render(text: str | None) -> SafeString:
    """Markdown to sanitised HTML. Text beyond MAX_INPUT_LENGTH characters or
    MAX_INPUT_LINES lines is dropped."""
    if not text:
        return SafeString("")
    text = _truncate(text)
    try:
        converted = _markdown().convert(text)
    except RecursionError:
        # Deeply nested lists ("1. 1. 1. …") exhaust Python-Markdown's recursion.
        converted = linebreaks(text, autoescape=True)
    return mark_safe(_CLEANER.clean(converted))  # noqa: S308 - nh3 output, allow-list above


def render_inline(text: str | None) -> SafeString:
    """One-line plain text such as a title: everything escaped, no Markdown."""
    return escape(text or "")


def _truncate(text: str) -> str:
    # Normalised first, as Python-Markdown does, so that "\r" cannot slip past the line limit.
    text = text.replace("\r\n", "\n").replace("\r", "\n")[:MAX_INPUT_LENGTH]
    return "\n".join(text.split("\n", MAX_INPUT_LINES)[:MAX_INPUT_LINES])


def _is_allowed_url(href: str) -> bool:
    # AMP_SUBSTITUTE is written out as a raw "&", which the browser then decodes as an entity.
    value = html.unescape(href.replace(util.AMP_SUBSTITUTE, "&"))
    return bool(_ALLOWED_URL_RE.match(_URL_IGNORED_CHARS_RE.sub("", value)))


class _LinearLinkParsing:
    """getText/getLink for Python-Markdown's link processors without the quadratic scans."""

    # From the link processors this is mixed into.
    RE_TITLE_CLEAN: re.Pattern[str]
    unescape: Callable[[str], str]

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:
        m = _LINK_TEXT_RE.match(data, index)
        if m is None:
            return "", index, False
        return data[index : m.end() - 1], m.end(), True

    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:
        m = _LINK_TARGET_RE.match(data, index)
        if m is None:
            return "", None, index, False
        href = m["bracketed"] if m["bracketed"] is not None else m["bare"]
        title = m["title"]
        if title is not None:
            title = self.RE_TITLE_CLEAN.sub(" ", dequote(self.unescape(title.strip())))
        return self.unescape(href).strip(), title, m.end(), True


class _Link(_LinearLinkParsing, LinkInlineProcessor):
    pass


class _Reference(_LinearLinkParsing, ReferenceInlineProcessor):
    pass


class _ShortReference(_LinearLinkParsing, ShortReferenceInlineProcessor):
    pass


class _BareUrl(InlineProcessor):
    """https://example.se in running text becomes a link, as in e-mail clients."""

    ANCESTOR_EXCLUDES = ("a",)

    def handleMatch(  # type: ignore[override]  # as InlineProcessor's own, in its stubs
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        # Punctuation and emphasis at the end belong to the text: "Read **https://x.se**."
        url = m.group(0).rstrip(".,;:!?*_")
        if url.endswith("://"):
            return None, None, None
        end = m.start(0) + len(url)
        el = etree.Element("a", {"href": url})
        el.text = util.AtomicString(url)
        return el, m.start(0), end


class _PageSafeTree(Treeprocessor):
    """Shifts headings below the page's own h1/h2 and unlinks URLs nh3 would drop anyway."""

    def run(self, root: etree.Element) -> None:
        for el in root.iter():
            if el.tag in _HEADING_SHIFT:
                el.tag = _HEADING_SHIFT[el.tag]
            elif el.tag == "a" and not _is_allowed_url(el.get("href", "")):
                # nh3 unwraps <span>: the link text stays, without a dead <a>.
                el.tag = "span"
                el.attrib.clear()


def _markdown() -> markdown.Markdown:
    # A new instance per call: Markdown objects keep per-document state and are not thread-safe.
    md = markdown.Markdown(
        extensions=["fenced_code", "tables", "sane_lists", "nl2br"],
        extension_configs={"tables": {"use_align_attribute": True}},
        output_format="html",
    )
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    # Kept: the "entity" pattern (only matches &name; &#123; &#x1F;, which cannot form a tag) and
    # the "raw_html" postprocessor, which puts back fenced code blocks, escaped by fenced_code.
    for name in ("image_link", "image_reference", "short_image_ref"):
        md.inlinePatterns.deregister(name)
    # Same names and priorities as in markdown.inlinepatterns.build_inlinepatterns.
    md.inlinePatterns.register(_Reference(r"\[", md), "reference", 170)
    md.inlinePatterns.register(_Link(r"\[", md), "link", 160)
    md.inlinePatterns.register(_ShortReference(r"\[", md), "short_reference", 130)
    md.inlinePatterns.register(_BareUrl(_BARE_URL_RE, md), "bare_url", 105)
    # After "unescape" (priority 0), so hrefs are checked in their final form.
    md.treeprocessors.register(_PageSafeTree(md), "page_safe_tree", -10)
    return md
