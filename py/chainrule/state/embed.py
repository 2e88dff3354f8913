"""The embed view for teachers: the page with `?embed` in its URL shows only the canvas, the
step controls and the explanation, to sit in an <iframe> in course notes or slides.
Copy embed code gives the <iframe> for the state on screen (its share link's hash)."""

from html import escape

EMBED_WIDTH, EMBED_HEIGHT = 720, 480  # CSS px: the page's embed view fits from 480×320 up


def is_embed(search):
    """True when a URL's query (`location.search`, e.g. "?embed" or "?boot=normal&embed=1")
    asks for the embed view."""
    query = search[1:] if search.startswith("?") else search
    return any(part.split("=", 1)[0] == "embed" for part in query.split("&"))


def embed_src(page_url, url_hash):
    """The embed view's address for the page at `page_url` (no query, no hash) and a share
    link's hash."""
    return f"{page_url}?embed{url_hash}"


def embed_title(output_name, lesson_title=None):
    """The iframe's title, which a screen reader announces for it."""
    if lesson_title:
        return f"chainrule lesson: {lesson_title}"
    return f"chainrule: the compute graph of {output_name}, stepping through backprop"


def embed_code(page_url, url_hash, title):
    """The <iframe> snippet: the state in `url_hash`, a size that suits a page of notes
    (it shrinks to the column), and a title for screen readers."""
    src = escape(embed_src(page_url, url_hash), quote=True)
    return (f'<iframe src="{src}" title="{escape(title, quote=True)}" width="{EMBED_WIDTH}" '
            f'height="{EMBED_HEIGHT}" style="max-width: 100%; border: 1px solid #d1d5db; '
            f'border-radius: 6px" loading="lazy"></iframe>')
