"""A lesson step's text as HTML the page can show: a small Markdown, and never the writer's
own HTML. A lesson can come from a link, so its text is untrusted: every character of it is
escaped, and the only tags are the ones made here (paragraphs, lists, bold, italics, code).
"""

import re
from html import escape

INLINE = re.compile(r"`([^`]+)`|\*\*(.+?)\*\*|(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
ITEM = re.compile(r"\s*[-*]\s+(.*)")
NUMBERED = re.compile(r"\s*\d{1,3}[.)]\s+(.*)")


def inline_html(text):
    """One line's text with `code`, **bold** and *italics*; everything else escaped."""
    parts, at = [], 0
    for match in INLINE.finditer(text):
        parts.append(escape(text[at:match.start()]))
        code, bold, italic = match.groups()
        if code is not None:
            parts.append(f"<code>{escape(code)}</code>")
        elif bold is not None:
            parts.append(f"<strong>{inline_html(bold)}</strong>")
        else:
            parts.append(f"<em>{inline_html(italic)}</em>")
        at = match.end()
    parts.append(escape(text[at:]))
    return "".join(parts)


def body_html(text):
    """The step's Markdown as paragraphs and lists of escaped text."""
    blocks, paragraph, items, kind = [], [], [], None

    def flush():
        nonlocal paragraph, items, kind
        if paragraph:
            blocks.append("<p>" + inline_html(" ".join(paragraph)) + "</p>")
        if items:
            tag = "ol" if kind == "ol" else "ul"
            blocks.append(f"<{tag}>" + "".join(f"<li>{inline_html(item)}</li>" for item in items)
                          + f"</{tag}>")
        paragraph, items, kind = [], [], None

    for line in text.splitlines():
        stripped = line.strip()
        bullet, numbered = ITEM.fullmatch(line), NUMBERED.fullmatch(line)
        if not stripped:
            flush()
        elif bullet or numbered:
            if paragraph or kind != ("ul" if bullet else "ol"):
                flush()
            kind = "ul" if bullet else "ol"
            items.append((bullet or numbered).group(1).strip())
        elif items and line[:1].isspace():
            items[-1] += " " + stripped  # an item's next line
        else:
            if items:
                flush()
            paragraph.append(stripped.lstrip("#").strip() if stripped.startswith("#")
                             else stripped)
    flush()
    return "".join(blocks)
