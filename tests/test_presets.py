"""The Examples select: which example it shows, "(edited)", and what Reset text brings."""

from chainrule.state.presets import (DEFAULT, PLACEHOLDER, PRESETS, example_of, examples_shown,
                                     reset_key)


def test_the_select_shows_the_loaded_example_until_its_text_changes():
    neuron = PRESETS["neuron"][1]
    assert examples_shown("neuron", neuron) == ("neuron", PLACEHOLDER)
    assert examples_shown("neuron", neuron + "\n# mine") == ("", "tanh neuron (edited)")
    assert examples_shown(None, "a = 1") == ("", PLACEHOLDER)
    assert examples_shown("gone", "a = 1") == ("", PLACEHOLDER)  # e.g. stale storage


def test_reset_text_returns_to_the_example_the_text_came_from():
    assert reset_key("neuron") == "neuron"
    assert reset_key(None) == DEFAULT and reset_key("gone") == DEFAULT


def test_an_examples_text_is_recognised():
    for key, (_, text) in PRESETS.items():
        assert example_of(text) == key
    assert example_of(PRESETS["neuron"][1] + " ") is None
