"""Links that carry the page's state: round trips, and hostile or damaged links refused."""

import base64
import json
import zlib

import pytest
from hypothesis import given, strategies as st

from chainrule.state.share import PREFIX, SharedState, ShareError, decode, encode
from chainrule.state.session import Session
from dagre_node import run_dagre
from test_session import apply

LECTURE = "a = 2\nb = -3\nc = 10\ne = a*b\nd = e + c\nf = -2\nL = d*f"


def packed(fields_or_bytes):
    data = fields_or_bytes if isinstance(fields_or_bytes, bytes) else \
        json.dumps(fields_or_bytes).encode()
    return PREFIX + base64.urlsafe_b64encode(zlib.compress(data)).rstrip(b"=").decode()


@given(st.text(min_size=1, max_size=300).filter(str.strip), st.sampled_from(["LR", "TB", None]),
       st.integers(0, 10_000))
def test_round_trip(text, direction, step):
    state = SharedState(text, direction, step)
    url_hash = encode(state)
    assert url_hash.startswith("#s=") and all(c.isalnum() or c in "#=-_" for c in url_hash)
    assert decode(url_hash) == state


def test_a_link_is_short_for_a_short_program():
    assert len(encode(SharedState(LECTURE, "LR", 3))) < 120


@pytest.mark.parametrize("url_hash, says", [
    ("", "does not hold"), ("#x=abc", "does not hold"),
    ("#s=!!!!", "damaged"), ("#s=abcd", "damaged"),
    ("#s=" + "A" * 70_000, "too long"),
    (encode(SharedState(LECTURE))[:-8], "cut short"),
    (packed([1, 2]), "damaged"), (packed({"d": "LR"}), "no program"),
    (packed({"t": "   "}), "no program"), (packed({"t": 5}), "no program"),
    (packed({"t": "a*b", "d": "<img>"}), "direction"),
    (packed({"t": "a*b", "s": -1}), "step"), (packed({"t": "a*b", "s": True}), "step"),
    (packed({"t": "a*b", "s": 1.5}), "step"),
    (packed({"t": "a*b", "e": 3}), "example"), (packed({"t": "a*b", "e": "<b>"}), "example"),
    (packed({"t": "a*b", "e": "x" * 41}), "example"),
    (packed({"t": "x" * 20_001}), "limit is 20,000"),
    (packed(b" " * 5_000_000), "larger than the page allows"),  # a zip bomb
    (packed(b"\xff\xfe"), "damaged"),
])
def test_bad_links_are_refused_with_a_reason(url_hash, says):
    with pytest.raises(ShareError, match=says):
        decode(url_hash)


@given(st.text(max_size=200))
def test_any_text_after_the_prefix_is_either_a_state_or_a_share_error(junk):
    try:
        assert isinstance(decode(PREFIX + junk), SharedState)
    except ShareError:
        pass


def test_go_to_lands_on_a_step_with_the_same_grads_as_stepping():
    stepped, jumped = Session(run_dagre), Session(run_dagre)
    stepped.load(LECTURE)
    jumped.load(LECTURE)
    for _ in range(4):
        stepped.step()
    screen = {k: dict(v) for k, v in jumped.whole_view()["cells"].items()}
    apply(screen, jumped.go_to(4))
    assert jumped.position == 4
    assert stepped.whole_view()["cells"] == jumped.whole_view()["cells"]
    assert {k: v.get("hl", "") for k, v in screen.items() if v.get("hl")} == \
        {k: v["hl"] for k, v in stepped.whole_view()["cells"].items() if v.get("hl")}
    jumped.go_to(99)
    assert jumped.at_end
    jumped.go_to(1)
    assert jumped.position == 1


@given(st.text(min_size=1, max_size=300).filter(str.strip),
       st.lists(st.from_regex(r"[A-Za-z0-9_-]{1,6}(\.[A-Za-z0-9_-]{1,4}){0,2}", fullmatch=True),
                max_size=12))
def test_round_trip_keeps_the_collapsed_groups(text, names):
    text = text + "#" * 30  # names are never longer than the program they come from
    state = SharedState(text, "TB", 7, collapsed=tuple(sorted(set(names))), example="small-mlp")
    assert decode(encode(state)) == state


def test_a_link_without_collapsed_groups_opens_with_the_programs_default():
    assert decode(encode(SharedState(LECTURE))).collapsed is None
    assert decode(packed({"t": LECTURE, "s": 2})).collapsed is None
    assert decode(encode(SharedState(LECTURE, collapsed=()))).collapsed == ()


@pytest.mark.parametrize("collapsed", [
    "L1.N0", [1], ["<img src=x>"], ["a b"], [None], ["x" * 500], {"L1": True},
])
def test_bad_collapsed_groups_are_refused(collapsed):
    with pytest.raises(ShareError, match="collapsed groups"):
        decode(packed({"t": "a*b\n" * 100, "c": collapsed}))


def test_a_shared_view_reopens_as_prepared():
    """Small MLP, Collapse all, expand L2.N1, step 7: the link's session draws the same."""
    from chainrule.state.presets import PRESETS

    text = PRESETS["small-mlp"][1]
    teacher = Session(run_dagre)
    teacher.load(text)
    assert not teacher.collapsed  # small: it opens expanded
    teacher.collapse_all()
    teacher.toggle_group("L2.N1")
    teacher.go_to(7)
    link = encode(SharedState(teacher.text, teacher.direction, teacher.position,
                              collapsed=teacher.shared_collapsed))
    state = decode(link)
    learner = Session(run_dagre)
    learner.load(state.text, state.collapsed)
    learner.go_to(state.step)
    assert learner.collapsed == teacher.collapsed and "L2.N1" not in learner.collapsed
    assert [n["id"] for n in learner.whole_view()["nodes"]] == \
        [n["id"] for n in teacher.whole_view()["nodes"]]
    assert learner.whole_view()["cells"] == teacher.whole_view()["cells"]
    assert Session(run_dagre).shared_collapsed is None  # no program, no groups


def test_unknown_collapsed_names_are_ignored():
    from chainrule.state.presets import PRESETS

    session = Session(run_dagre)
    session.load(PRESETS["small-mlp"][1], ("L1.N0", "Nope", "L9.N9"))
    assert session.collapsed == {"L1.N0"}
