"""The build's recording of the default example's step controls (first_steps.py): what the
page replays before Python is up must be exactly what Python sends live."""

import json
import random

import pytest

from chainrule.state import chrome, keys
from chainrule.state.first_steps import place, record
from chainrule.state.presets import DEFAULT, PRESETS
from chainrule.state.session import Session
from chainrule.state.step_panel import (MOVES, disabled_controls, explanation_html, move,
                                  start_playing, sweep_counts)
from dagre_node import run_dagre

TEXT = PRESETS[DEFAULT][1]
LAYOUTS = {}


def cached_dagre(request):
    key = json.dumps(request, sort_keys=True)
    if key not in LAYOUTS:
        LAYOUTS[key] = run_dagre(request)
    return LAYOUTS[key]


def fresh():
    session = Session(cached_dagre)
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
    assert recording["text"] == TEXT and recording["direction"] == "LR"
    assert recording["sweeps"] == sweep_counts(fresh())


def test_a_replay_of_any_walk_is_what_python_sends_live(recording):
    """Random walks over every control: at each press the recorded move from the replay's
    place sends what the live session sends, and lands where it lands, showing the same."""
    rng = random.Random(23)
    for _ in range(30):
        live, at, playing = fresh(), 0, False
        for _ in range(12):
            name = rng.choice((*MOVES, "play"))
            recorded = recording["moves"][at][name]
            calls = start_playing(live) if name == "play" else move(live, name)
            assert as_data(recorded["calls"]) == as_data(calls), (at, name)
            at = recorded["to"]
            assert at == live.position
            assert recording["places"][at] == place(live)


def test_the_recording_is_small_enough_to_inline(recording):
    assert len(json.dumps(recording)) < 30_000


def test_reset_brings_the_view_back_to_following_and_play_restarts_from_the_end():
    s = fresh()
    assert move(s, "reset") == [("followAgain",)]
    assert start_playing(s) == []  # not at the end: playing goes on from here
    move(s, "finish")
    calls = start_playing(s)
    assert [name for name, *_ in calls] == ["update"] and s.position == 0


def test_the_step_bar_disables_what_cannot_be_pressed():
    s = fresh()
    assert disabled_controls(s) == {"step": False, "finish": False, "back": True,
                                    "reset": True, "play": False, "expand-current": True}
    s.finish()
    assert disabled_controls(s)["play"] and not disabled_controls(s, playing=True)["play"]
    empty = Session(cached_dagre)
    empty.load("")
    assert disabled_controls(empty)["play"] and sweep_counts(empty) == ""


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
    assert not disabled_controls(s)["expand-current"]


def test_the_theme_cycles_and_the_panel_toggles(recording):
    seen, theme = [], "dark"
    for _ in chrome.THEMES:
        theme = chrome.next_theme(theme)
        seen.append(theme)
    assert seen == list(chrome.THEMES)
    assert chrome.next_theme("sepia") == chrome.THEMES[0]
    assert recording["themes"]["system"]["text"] == "◐ Theme: system"
    panel = recording["panel"]
    assert panel["open"]["next"] == "collapsed" and panel["collapsed"]["next"] == "open"
    assert panel["collapsed"]["aria-expanded"] == "false"


def test_the_page_gets_the_key_map_python_uses(recording):
    assert recording["keys"]["shortcuts"] == keys.SHORTCUTS
    assert recording["keys"]["press"] == list(keys.PRESS_KEYS)
