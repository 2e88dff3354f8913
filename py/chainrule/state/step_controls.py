"""What the step bar and the explanation show for the session's place: which controls
work, the explanation's paragraphs, and forward mode's input choices; and what Step, Back,
Reset, Finish and Play do. The build runs these on the default example too and records
what they give (first_steps.py), for the page to replay until Python is up."""

from html import escape

from ..core.step_text import step_blocks

MOVES = ("step", "back", "reset", "finish")
PLAY_SPEEDS_MS = {"1": 900, "2": 450, "3": 200, "4": 80}  # the speed slider's value -> ms
PLAY_LABELS = {"play": "▶ Play", "pause": "⏸ Pause"}


def move(session, name):
    """Step, Back, Reset or Finish (`name`, one of MOVES): the cell patches, or None."""
    return getattr(session, name)()


def follows_again(name):
    """After Reset the view follows the step again, even if the user had moved it."""
    return name == "reset"


def start_playing(session):
    """Play pressed: from the end, playing starts over (the patches of that reset);
    elsewhere it goes on from the step on screen (None)."""
    return session.reset() if session.at_end else None


def disabled_controls(session, playing):
    """{control testid: disabled} for the step bar."""
    s = session
    return {"step": s.at_end, "finish": s.at_end, "back": s.at_start, "reset": s.at_start,
            "play": s.total == 0 or (s.at_end and not playing),
            "expand-current": s.step_group is None}


def explanation_blocks(session, practice=None):
    """The explanation's [(testid, text)] paragraphs, with where the step is when it is
    inside a collapsed group; none that give away the number `practice` is asking for."""
    blocks = step_blocks(session)
    if session.step_group:
        blocks.append(("explain-group", f"In {session.step_group} (collapsed): G expands it."))
    return practice.blocks(blocks) if practice is not None else blocks


def explanation_html(session, practice=None):
    """The explanation as HTML: text only, escaped (names come from the user)."""
    return "".join(f'<p data-testid="{testid}">{escape(text)}</p>'
                   for testid, text in explanation_blocks(session, practice))


def tangent_options_html(names):
    """Forward mode's select for the inputs `names`: off, then ∂/∂ each input. The choice
    is the select's value: an MLP has hundreds of inputs, and a choice rebuilds none."""
    options = [("", "off")] + [(name, f"∂/∂{name}") for name in names]
    return "".join(f'<option value="{escape(value)}">{escape(text)}</option>'
                   for value, text in options)


def sweep_counts_text(session):
    """How many sweeps each mode needs for every derivative of the output ('' without inputs)."""
    if not session.inputs:
        return ""
    forward, backward = session.sweeps
    return (f"Every derivative of the output: forward mode {forward} "
            f"sweep{'s' if forward != 1 else ''} (one per input), backprop {backward} "
            f"(one per output).")
