"""officehours.markdown: user Markdown becomes safe HTML, and never anything else."""

from __future__ import annotations

import re
import time

import pytest
from django.template import engines
from django.utils.safestring import SafeString

from officehours import markdown as md
from officehours.markdown import MAX_INPUT_LENGTH, MAX_INPUT_LINES, render, render_inline

# The calendar date changes nothing here: `make test-dates` leaves it out.
pytestmark = pytest.mark.dateless

REL = 'rel="noopener noreferrer nofollow"'
EVENT_HANDLER_IN_TAG = re.compile(r"<[^>]*\son\w+\s*=", re.IGNORECASE)
TAG_NAME = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")


def assert_only_allowed_tags(html: str) -> None:
    assert set(TAG_NAME.findall(html)) <= md.ALLOWED_TAGS, html


# --- Empty input -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", [None, ""])
def test_empty_input_renders_nothing(text):
    assert render(text) == ""
    assert isinstance(render(text), SafeString)
    assert render_inline(text) == ""
    assert isinstance(render_inline(text), SafeString)


# --- Ordinary Markdown -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hej", "<p>Hej</p>"),
        ("Hej\n\nDå", "<p>Hej</p>\n<p>Då</p>"),
        # nl2br: a single newline is a line break, as people type in a textarea.
        ("rad ett\nrad två", "<p>rad ett<br>\nrad två</p>"),
        (
            "*em* **strong** _u_ ***båda***",
            (
                "<p><em>em</em> <strong>strong</strong> <em>u</em> "
                "<strong><em>båda</em></strong></p>"
            ),
        ),
        ("- a\n- b", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"),
        ("1. x\n2. y", "<ol>\n<li>x</li>\n<li>y</li>\n</ol>"),
        ("3. tre\n4. fyra", '<ol start="3">\n<li>tre</li>\n<li>fyra</li>\n</ol>'),
        ("> citat\n> mer", "<blockquote>\n<p>citat<br>\nmer</p>\n</blockquote>"),
        ("---", "<hr>"),
        ("&copy; &#60;script&#62; a & b", "<p>© &lt;script&gt; a &amp; b</p>"),
    ],
)
def test_basic_markdown(text, expected):
    assert render(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("`<b>`", "<p><code>&lt;b&gt;</code></p>"),
        ("```python\nprint('<b>')\n```", "<pre><code>print('&lt;b&gt;')\n</code></pre>"),
        ("~~~\nx = 1\n~~~", "<pre><code>x = 1\n</code></pre>"),
        ("    indenterad <b>\n", "<pre><code>indenterad &lt;b&gt;\n</code></pre>"),
    ],
)
def test_code_is_escaped_and_keeps_no_class(text, expected):
    assert render(text) == expected


def test_headings_move_below_the_pages_own_h1_and_h2():
    text = "# Ett\n\n## Två\n\n### Tre\n\n#### Fyra\n\n###### Sex\n\nSetext\n======"
    assert render(text) == (
        "<h3>Ett</h3>\n<h4>Två</h4>\n<h5>Tre</h5>\n<h6>Fyra</h6>\n<h6>Sex</h6>\n<h3>Setext</h3>"
    )


def test_table_with_alignment():
    text = "| Dag | Tid |\n|:----|----:|\n| tis | 10 |"
    assert render(text) == (
        "<table>\n<thead>\n<tr>\n"
        '<th align="left">Dag</th>\n<th align="right">Tid</th>\n'
        "</tr>\n</thead>\n<tbody>\n<tr>\n"
        '<td align="left">tis</td>\n<td align="right">10</td>\n'
        "</tr>\n</tbody>\n</table>"
    )


# --- Links -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[x](http://example.se)", f'<p><a href="http://example.se" {REL}>x</a></p>'),
        (
            "[x](https://example.se/a?b=1&c=2)",
            f'<p><a href="https://example.se/a?b=1&amp;c=2" {REL}>x</a></p>',
        ),
        ("[x](HTTPS://EXAMPLE.SE)", f'<p><a href="HTTPS://EXAMPLE.SE" {REL}>x</a></p>'),
        ("[x](mailto:info@example.se)", f'<p><a href="mailto:info@example.se" {REL}>x</a></p>'),
        (
            '[x](https://example.se "Titel")',
            f'<p><a href="https://example.se" title="Titel" {REL}>x</a></p>',
        ),
        (
            "[a [b] c](https://sv.wikipedia.org/wiki/A_(b))",
            f'<p><a href="https://sv.wikipedia.org/wiki/A_(b)" {REL}>a [b] c</a></p>',
        ),
        (
            "[x][faq]\n\n[faq]: https://example.se/faq",
            f'<p><a href="https://example.se/faq" {REL}>x</a></p>',
        ),
        (
            "<https://example.se>",
            f'<p><a href="https://example.se" {REL}>https://example.se</a></p>',
        ),
        ("<info@example.se>", f'<p><a href="mailto:info@example.se" {REL}>info@example.se</a></p>'),
    ],
)
def test_http_https_and_mailto_links_are_kept(text, expected):
    assert render(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Se https://example.se/a_b.",
            f'<p>Se <a href="https://example.se/a_b" {REL}>https://example.se/a_b</a>.</p>',
        ),
        (
            "(http://example.se/x)",
            f'<p>(<a href="http://example.se/x" {REL}>http://example.se/x</a>)</p>',
        ),
        (
            "**https://example.se**",
            f'<p><strong><a href="https://example.se" {REL}>https://example.se</a></strong></p>',
        ),
        ("`https://example.se`", "<p><code>https://example.se</code></p>"),
        ("http://", "<p>http://</p>"),
    ],
)
def test_bare_urls_become_links(text, expected):
    assert render(text) == expected


@pytest.mark.parametrize(
    "target",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "<javascript:alert(1)>",
        'javascript:alert(1) "titel"',
        "jav&#x61;script:alert(1)",
        "&#106;avascript:alert(1)",
        "javascript&#58;alert(1)",
        "jav&#x09;ascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
    ],
)
def test_dangerous_link_schemes_lose_the_link_but_keep_the_text(target):
    assert render(f"[x]({target})") == "<p>x</p>"
    assert render(f"[x][r]\n\n[r]: {target}") == "<p>x</p>"


def test_dangerous_autolink_is_plain_text():
    assert render("<javascript://%0aalert(1)>") == "<p>javascript://%0aalert(1)</p>"


@pytest.mark.parametrize("target", ["/faq/1/", "faq.html", "#top", "//evil.example/x"])
def test_relative_links_are_dropped(target):
    # Rendered text also appears in e-mails and the API, where a relative URL means nothing.
    assert render(f"[x]({target})") == "<p>x</p>"


def test_link_text_keeps_its_formatting_when_the_link_is_dropped():
    assert render("[*x*](javascript:alert(1)) sen") == "<p><em>x</em> sen</p>"


def test_images_are_not_embedded():
    assert render("![bild](https://example.se/a.png)") == (
        f'<p>!<a href="https://example.se/a.png" {REL}>bild</a></p>'
    )


# --- Raw HTML is text ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<b>x</b>", "<p>&lt;b&gt;x&lt;/b&gt;</p>"),
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
        ("<img src=x onerror=alert(1)>", "<p>&lt;img src=x onerror=alert(1)&gt;</p>"),
        (
            "<div>\n<script>alert(1)</script>\n</div>",
            ("<p>&lt;div&gt;<br>\n&lt;script&gt;alert(1)&lt;/script&gt;<br>\n&lt;/div&gt;</p>"),
        ),
        ("<!-- dold -->", "<p>&lt;!-- dold --&gt;</p>"),
        ("# Rubrik {: onclick=alert(1) }", "<h3>Rubrik {: onclick=alert(1) }</h3>"),
    ],
)
def test_raw_html_is_shown_as_text(text, expected):
    assert render(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "<img src=x onerror=alert(1)>",
        '<a href="https://example.se" onclick="alert(1)">x</a>',
        "<svg onload=alert(1)>",
        "<body onload=alert(1)>",
        '<p onmouseover="alert(1)">x</p>',
        '[x](https://example.se){: onclick="alert(1)" }',
        '[x](https://example.se "a" onclick="alert(1)")',
        "```\n<img src=x onerror=alert(1)>\n```",
        "| <img src=x onerror=alert(1)> | b |\n|---|---|\n| c | d |",
        "<script>alert(1)</script>",
    ],
)
def test_no_event_handler_or_foreign_tag_in_output(text):
    html = render(text)
    assert not EVENT_HANDLER_IN_TAG.search(html), html
    assert "<script" not in html
    assert "<img" not in html
    assert_only_allowed_tags(html)


def test_nh3_is_a_safety_net_on_its_own():
    # As if the Markdown layer had let raw HTML through.
    raw = (
        '<h1>R</h1><p onclick="x">a <b>b</b></p><a href="javascript:alert(1)">j</a>'
        '<a href="/rel">r</a><img src=x onerror=alert(1)><script>alert(1)</script>'
        '<td align="javascript">c</td>'
    )
    assert md._CLEANER.clean(raw) == f"R<p>a b</p><a {REL}>j</a><a {REL}>r</a>c"


# --- Template syntax -------------------------------------------------------------------------


def test_template_syntax_stays_literal_and_is_not_evaluated():
    text = "{{ secret }} {% load static %}{% now 'Y' %}\n\n```\n{{ secret }}\n```"
    html = render(text)
    assert html == (
        "<p>{{ secret }} {% load static %}{% now 'Y' %}</p>\n<pre><code>{{ secret }}\n</code></pre>"
    )
    template = engines["django"].from_string("<div>{{ value }}</div>")
    page = template.render({"value": html, "secret": "LÄCKT"})
    assert page == f"<div>{html}</div>"
    assert "LÄCKT" not in page


# --- Size limits -----------------------------------------------------------------------------


def test_long_input_is_cut_at_the_character_limit():
    assert render("a" * 100_000) == f"<p>{'a' * MAX_INPUT_LENGTH}</p>"


def test_long_input_is_cut_at_the_line_limit():
    html = render("a\n" * 5_000)
    assert html.count("a") == MAX_INPUT_LINES
    # Old Mac line endings count as lines too.
    assert render("a\r" * 5_000) == html


@pytest.mark.parametrize(
    "unit",
    ["[", "[a](", "[a](()", "[[]", "![", "*a", "_[", "`", "<", "-\n", "#\n", "|a\n", "> ", "1. "],
)
def test_pathological_input_renders_quickly(unit):
    text = unit * (100_000 // len(unit))
    start = time.perf_counter()
    html = render(text)
    assert time.perf_counter() - start < 3
    assert_only_allowed_tags(html)


def test_too_deeply_nested_lists_fall_back_to_escaped_text():
    html = render("1. " * 5_000 + "<b>")
    assert html.startswith("<p>1. 1. ")
    assert html.endswith("&lt;b&gt;</p>")


# --- render_inline ---------------------------------------------------------------------------


def test_render_inline_escapes_everything_and_applies_no_markdown():
    assert render_inline("<b>{{ x }}</b> & *y* [l](https://example.se)") == (
        "&lt;b&gt;{{ x }}&lt;/b&gt; &amp; *y* [l](https://example.se)"
    )
