"""The page's state in a URL hash: `#s=` + base64url(deflate(JSON)), and back, safely.

A link is untrusted input. Reading one never decompresses more than a program can be,
checks every field's type and range, and says in words what is wrong with a bad one.
"""

import base64
import binascii
import json
import re
import zlib
from dataclasses import dataclass

from ..core.expr import GROUP_NAME, MAX_SOURCE_CHARS
from .lessons import MAX_LESSON_CHARS, SHIPPED

PREFIX = "#s="
MAX_HASH_CHARS = 64_000
# A program's text (and a lesson's) as JSON, with every character escaped, is at most ~6
# bytes per char.
MAX_JSON_BYTES = 6 * (MAX_SOURCE_CHARS + MAX_LESSON_CHARS) + 200
MAX_LESSON_STEP = 999
DIRECTIONS = ("LR", "TB")
BASE64URL = re.compile(r"[A-Za-z0-9_-]*")
EXAMPLE_KEY = re.compile(r"[a-z0-9-]{1,40}")  # a key of presets.PRESETS, or of a later one


class ShareError(ValueError):
    """A link whose state cannot be used; the message says why, for the user."""


@dataclass(frozen=True)
class SharedState:
    """A program and where stepping stands: the backprop `step`; `forward`, the stepped
    forward pass's position (None when the pass was not stepped); `tangent`, the input
    of forward mode ("" when off) and `tangent_step`, its sweep's position."""

    text: str
    direction: str | None = None  # None: the direction that suits the reader's canvas
    step: int = 0
    forward: int | None = None
    tangent: str = ""
    tangent_step: int = 0
    # The groups drawn collapsed, sorted; None: whatever the program opens with (links
    # made before groups were kept, and programs without groups).
    collapsed: tuple = None
    example: str = None  # the key of the example the text came from, if any
    practice: bool = False
    # A lesson open at step `lesson_step` (0-based): a shipped one by key, or the text of
    # one a teacher wrote (checked by lessons.parse_lesson when it is opened).
    lesson: str = None
    lesson_text: str = None
    lesson_step: int = 0


def encode(state):
    """The URL hash for `state`."""
    fields = {"t": state.text, "s": state.step}
    if state.direction is not None:
        fields["d"] = state.direction
    if state.forward is not None:
        fields["f"] = state.forward
    if state.tangent:
        fields["x"], fields["xs"] = state.tangent, state.tangent_step
    if state.collapsed is not None:
        fields["c"] = sorted(state.collapsed)
    if state.example is not None:
        fields["e"] = state.example
    if state.practice:
        fields["p"] = 1
    if state.lesson is not None or state.lesson_text is not None:
        fields["ls"] = state.lesson_step
        if state.lesson is not None:
            fields["l"] = state.lesson
        else:
            fields["lt"] = state.lesson_text
    data = json.dumps(fields, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    packed = base64.urlsafe_b64encode(zlib.compress(data, 9)).rstrip(b"=").decode("ascii")
    return PREFIX + packed


def is_shared(url_hash):
    return isinstance(url_hash, str) and url_hash.startswith(PREFIX)


def decode(url_hash):
    """The SharedState in a hash made by `encode`; ShareError for anything else."""
    if not is_shared(url_hash):
        raise ShareError("this link does not hold a chainrule graph")
    packed = url_hash[len(PREFIX):]
    if len(packed) > MAX_HASH_CHARS:
        raise ShareError(f"this link is too long ({len(packed):,} characters) to be a "
                         "chainrule graph")
    if not BASE64URL.fullmatch(packed):
        raise ShareError("this link is damaged: copy the whole link again")
    try:
        raw = base64.urlsafe_b64decode(packed + "=" * (-len(packed) % 4))
        inflater = zlib.decompressobj()
        data = inflater.decompress(raw, MAX_JSON_BYTES)
        if inflater.unconsumed_tail:
            raise ShareError("this link's program is larger than the page allows")
        if not inflater.eof:
            raise ShareError("this link is cut short: copy the whole link")
        fields = json.loads(data.decode("utf-8"))
    except ShareError:
        raise
    except (binascii.Error, ValueError, zlib.error, UnicodeDecodeError):
        raise ShareError("this link is damaged: copy the whole link again") from None
    if not isinstance(fields, dict):
        raise ShareError("this link is damaged: copy the whole link again")
    text, direction, step = fields.get("t"), fields.get("d"), fields.get("s", 0)
    if not isinstance(text, str) or not text.strip():
        raise ShareError("this link holds no program")
    if len(text) > MAX_SOURCE_CHARS:
        raise ShareError(f"this link's program is {len(text):,} characters long; "
                         f"the limit is {MAX_SOURCE_CHARS:,}")
    if direction is not None and direction not in DIRECTIONS:
        raise ShareError("this link's layout direction is not LR or TB")
    if type(step) is not int or step < 0:
        raise ShareError("this link's step is not a step number")
    forward, tangent, tangent_step = fields.get("f"), fields.get("x", ""), fields.get("xs", 0)
    if forward is not None and (type(forward) is not int or forward < 0):
        raise ShareError("this link's forward-pass step is not a step number")
    if not isinstance(tangent, str) or len(tangent) > 100:
        raise ShareError("this link's forward-mode input is not an input's name")
    if type(tangent_step) is not int or tangent_step < 0:
        raise ShareError("this link's forward-mode step is not a step number")
    collapsed = fields.get("c")
    if collapsed is not None:
        # Names come from the program's own `# group:` lines, so none can be longer than it.
        if not isinstance(collapsed, list) or not all(
                isinstance(name, str) and len(name) <= len(text) and GROUP_NAME.fullmatch(name)
                for name in collapsed):
            raise ShareError("this link's collapsed groups are not group names")
        collapsed = tuple(sorted(set(collapsed)))
    example = fields.get("e")
    if example is not None and not (isinstance(example, str) and EXAMPLE_KEY.fullmatch(example)):
        raise ShareError("this link's example is not the name of one")
    return SharedState(text, direction, step, forward, tangent, tangent_step, collapsed=collapsed,
                       example=example, practice=_practice(fields), **_lesson(fields))


def _practice(fields):
    practice = fields.get("p", 0)
    if practice not in (0, 1) or isinstance(practice, float):
        raise ShareError("this link's practice mode is not on or off")
    return bool(practice)


def _lesson(fields):
    """The lesson fields of a link: a shipped lesson's key or a lesson's text, and a step."""
    key, text, step = fields.get("l"), fields.get("lt"), fields.get("ls", 0)
    if key is None and text is None:
        return {}
    if key is not None and text is not None:
        raise ShareError("this link holds two lessons")
    if key is not None and key not in SHIPPED:
        raise ShareError("this link's lesson is not one this page has")
    if text is not None and not isinstance(text, str):
        raise ShareError("this link's lesson is not text")
    if text is not None and len(text) > MAX_LESSON_CHARS:
        raise ShareError(f"this link's lesson is {len(text):,} characters long; "
                         f"the limit is {MAX_LESSON_CHARS:,}")
    if type(step) is not int or not 0 <= step <= MAX_LESSON_STEP:
        raise ShareError("this link's lesson step is not a step number")
    return {"lesson": key, "lesson_text": text, "lesson_step": step}
