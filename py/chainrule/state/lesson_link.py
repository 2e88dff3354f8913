"""A link that opens a teacher's own lesson on the page: the lesson's text travels in the
share link (checked and size-capped like any link, shown as text only).

    python -m chainrule.state.lesson_link my-lesson.md https://example.github.io/chainrule/
"""

import sys
from pathlib import Path

from .lessons import LessonError, parse_lesson
from .share import MAX_HASH_CHARS, PREFIX, SharedState, encode


def lesson_link(text, page_url, source="lesson"):
    """The page's address with the lesson `text` open at its first step; LessonError for a
    lesson the page would refuse (or one too big for a link)."""
    lesson = parse_lesson(text, source)
    first = lesson.steps[0]
    url_hash = encode(SharedState(first.program, lesson_text=text, example=first.example))
    if len(url_hash) - len(PREFIX) > MAX_HASH_CHARS:
        raise LessonError("the lesson is too big for a link: shorten its text or programs",
                          source)
    return page_url.split("#")[0] + url_hash


def main(argv):
    if not 1 <= len(argv) <= 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    path = Path(argv[0])
    try:
        print(lesson_link(path.read_text(encoding="utf-8"),
                          argv[1] if len(argv) > 1 else "./", path.name))
    except (OSError, LessonError) as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
