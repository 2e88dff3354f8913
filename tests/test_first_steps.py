"""The build's recording of the default example's step controls (first_steps.py): what the
page replays before Python is up must be exactly what Python sends live."""

import json
import random

import pytest

from chainrule.state import keys, look
from chainrule.state.first_steps import place, record, renderer_calls, takeover_step
from chainrule.state.presets import DEFAULT, PRESETS
from chainrule.state.session import Session
from chainrule.state.step_controls import (MOVES, disabled_controls, explanation_html,
                                           follows_again, move, start_playing,
                                           sweep_counts_text)
from dagre_node import run_dagre

TEXT = PRESETS[DEFAULT][1]
LAYOUTS = {}


def cached_dagre(request):
    key = json.dumps(request, sort_keys=True)
    if key not in LAYOUTS:
        LAYOUTS[key] = run_dagre(request)
    return LAYOUTS[key]


def fresh(direction="LR"):
    session = Session(cached_dagre, direction)
    session.load(TEXT)
    return session


@pytest.fixture(scope="module")
def recording():
    # Through JSON, as the page reads it.
    return json.loads(json.dumps(record(fresh)))


def as_data(calls):
    """Renderer calls with their JSON arguments parsed (a patch's key order is free)."""
    return [[name, *(json.loads(a) for a in args)] for name, *args in calls]


def test_it_records_every_place_along_the_steps(recording):
    total = fresh().total
    assert len(recording["places"]) == len(recording["moves"]) == total + 1
    first, last = recording["places"][0], recording["places"][-1]
    assert first["counter"] == f"backward 0 / {total}"
    assert "Press Step" in first["explanation"]
    assert first["disabled"]["back"] and not first["disabled"]["step"]
    assert last["atEnd"] and last["disabled"]["step"] and not last["disabled"]["back"]
    assert recording["text"] == TEXT
    assert recording["sweeps"] == sweep_counts_text(fresh())


def test_a_replay_of_any_walk_is_what_python_sends_live(recording):
    """Random walks over every control: at each press the recorded move from the replay's
    place sends what the live session sends, and lands where it lands, showing the same."""
    rng = random.Random(23)
    for _ in range(30):
        live, at, playing = fresh(), 0, False
        for _ in range(12):
            name = rng.choice((*MOVES, "play"))
            recorded = recording["moves"][at][name]
            if name == "play":
                calls = renderer_calls(start_playing(live))
            else:
                calls = renderer_calls(move(live, name), follows_again(name))
            assert as_data(recorded["calls"]) == as_data(calls), (at, name)
            at = recorded["to"]
            assert at == live.position
            assert recording["places"][at] == place(live)


def test_one_recording_serves_the_graph_drawn_either_way(recording):
    """The build draws the example left to right or top to bottom, as the canvas suits;
    the steps replayed on either are the same."""
    def parsed(recording):
        return {**recording, "moves": [{name: {**move, "calls": as_data(move["calls"])}
                                        for name, move in moves.items()}
                                       for moves in recording["moves"]]}

    top_to_bottom = json.loads(json.dumps(record(lambda: fresh("TB"))))
    assert parsed(top_to_bottom) == parsed(recording)


def test_the_recording_is_small_enough_to_inline(recording):
    assert len(json.dumps(recording)) < 30_000


def test_reset_brings_the_view_back_to_following_and_play_restarts_from_the_end():
    s = fresh()
    assert renderer_calls(move(s, "reset"), follows_again("reset")) == [["followAgain"]]
    assert start_playing(s) is None  # not at the end: playing goes on from here
    move(s, "finish")
    calls = renderer_calls(start_playing(s))
    assert [name for name, *_ in calls] == ["update"] and s.position == 0


def test_the_step_bar_disables_what_cannot_be_pressed():
    s = fresh()
    assert disabled_controls(s, playing=False) == {"step": False, "finish": False, "back": True,
                                    "reset": True, "play": False, "expand-current": True}
    s.finish()
    assert disabled_controls(s, False)["play"] and not disabled_controls(s, True)["play"]
    empty = Session(cached_dagre)
    empty.load("")
    assert disabled_controls(empty, False)["play"] and sweep_counts_text(empty) == ""


def test_the_explanation_names_the_collapsed_group_the_step_is_in():
    s = Session(cached_dagre)
    s.load(PRESETS["mlp"][1])
    assert s.collapsed, "the MLP example opens with its neurons collapsed"
    while s.step_group is None:
        s.step()
    html = explanation_html(s)
    assert html.startswith('<p data-testid="explain-formula">')
    assert html.endswith(f'<p data-testid="explain-group">In {s.step_group} (collapsed): '
                         'G expands it.</p>')
    assert not disabled_controls(s, False)["expand-current"]


def test_the_theme_and_panel_words_are_pythons(recording):
    for theme in look.THEMES:
        assert recording["themes"][theme] == {"next": look.next_theme(theme),
                                              "attributes": look.theme_button(theme)}
    panel = recording["panel"]
    assert panel["open"]["next"] == "collapsed" and panel["collapsed"]["next"] == "open"
    assert panel["collapsed"]["attributes"] == look.panel_button("collapsed")


def test_python_takes_over_at_the_replayed_step_only_on_the_program_it_stepped():
    handed = {"text": TEXT, "step": 3, "playing": False, "used": True}
    assert takeover_step(handed, TEXT) == 3
    assert takeover_step({**handed, "used": False}, TEXT) is None  # never stepped: as usual
    assert takeover_step(handed, "x = 1") is None  # the user's own program opened instead
    assert takeover_step({}, TEXT) is None  # no shell (a page without the recording)


def test_the_page_gets_the_key_map_python_uses(recording):
    assert recording["keys"]["shortcuts"] == keys.SHORTCUTS
    assert recording["keys"]["press"] == list(keys.PRESS_KEYS)
