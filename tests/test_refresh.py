"""The refresh table: every change redraws what it makes stale."""

import pytest

from chainrule.state.refresh import PARTS, REDRAWS, redraws

PROGRAM_CHANGES = ("program", "canvas-program")
# What is drawn from the program: a new program makes each of these stale.
FROM_THE_PROGRAM = ("graph", "inputs", "tangent-inputs", "grad-check", "groups", "history",
                    "step", "saved", "examples", "link")
NUMBER_CHANGES = ("tuned", "tuning")


@pytest.mark.parametrize("kind", REDRAWS)
def test_every_part_is_a_known_part_listed_once(kind):
    parts = redraws(kind)
    assert set(parts) <= set(PARTS)
    assert len(parts) == len(set(parts))


@pytest.mark.parametrize("kind", PROGRAM_CHANGES)
def test_a_new_program_redraws_everything_drawn_from_the_program(kind):
    assert set(FROM_THE_PROGRAM) <= set(redraws(kind))


@pytest.mark.parametrize("kind", NUMBER_CHANGES)
def test_new_numbers_redraw_the_cells_the_input_and_the_explanation(kind):
    parts = redraws(kind)
    assert "patches" in parts and "input" in parts
    assert "step" in parts or "step-later" in parts


def test_a_set_number_is_kept_everywhere_a_program_is():
    parts = set(redraws("tuned"))
    assert {"grad-check", "saved", "link", "editor-follows", "history"} <= parts


@pytest.mark.parametrize("kind", [k for k in REDRAWS if k not in ("tuning", "restored", "mode")])
def test_every_lasting_change_reaches_the_link(kind):
    """A reload or a shared link shows what is on screen (a drag writes it when it ends;
    a restore puts back what the link already says)."""
    assert {"link", "link-soon"} & set(redraws(kind))


@pytest.mark.parametrize("kind", REDRAWS)
def test_the_canvas_is_drawn_before_what_reads_it(kind):
    """The explanation and the panels read the cells: the canvas first."""
    parts = redraws(kind)
    canvas = [i for i, p in enumerate(parts) if p in ("graph", "patches", "regroup")]
    later = [i for i, p in enumerate(parts) if p in ("step", "inputs", "groups")]
    if canvas and later:
        assert max(canvas) < min(later)


@pytest.mark.parametrize("kind", [k for k in REDRAWS if k not in ("step", "groups", "mode",
                                                                  "layout", "canvas-layout",
                                                                  "restored")])
def test_what_changes_the_numbers_or_the_program_stops_play(kind):
    assert redraws(kind)[0] == "stop-playing"


def test_an_unknown_kind_is_an_error():
    with pytest.raises(KeyError):
        redraws("everything")


def test_the_page_draws_every_part():
    """page/app.py's painters name exactly the parts (the glue cannot run on CPython)."""
    import re
    from pathlib import Path

    app = Path(__file__).resolve().parent.parent / "py" / "chainrule" / "page" / "app.py"
    block = app.read_text().split("self.painters = {", 1)[1].split("\n        }", 1)[0]
    assert re.findall(r'^\s*"([a-z-]+)": lambda c:', block, re.M) == list(PARTS)
