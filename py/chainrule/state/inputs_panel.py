"""The Inputs panel's markup: a number field and a slider per input, built in one string.

One `innerHTML` write crosses the bridge once, where building hundreds of rows element by
element (an MLP has one row per weight) would cross it thousands of times.
"""

from html import escape

from ..core.numbers import literal_text
from .input_edits import slider_range


def slider_attributes(value):
    low, high, step = slider_range(value)
    return {"min": literal_text(low), "max": literal_text(high), "step": literal_text(step),
            "value": literal_text(value)}


def row_html(name, value):
    n = escape(name, quote=True)
    slider = " ".join(f'{key}="{text}"' for key, text in slider_attributes(value).items())
    return (
        f'<div class="inputs__row" data-name="{n}">'
        f'<label class="inputs__name" for="input-{n}" title="{n}">{n}</label>'
        f'<span class="inputs__field"><input id="input-{n}" class="inputs__number" type="text" '
        f'inputmode="decimal" spellcheck="false" autocomplete="off" data-testid="input-{n}" '
        f'data-name="{n}" value="{literal_text(value)}" aria-describedby="input-error-{n}"></span>'
        f'<span class="inputs__track"><input class="inputs__slider" type="range" '
        f'data-testid="slider-{n}" data-name="{n}" aria-label="{n} slider" {slider}></span>'
        f'<span class="inputs__error" id="input-error-{n}" data-testid="input-error-{n}" '
        f'role="alert" hidden></span>'
        f'</div>'
    )


# An MLP has hundreds of inputs. Past this many the panel shows the first ones and a
# filter finds the rest: nobody scrolls 337 sliders, and building them all cost the
# MLP preset a third of its time to draw.
SHOWN_ROWS = 30


def needs_filter(inputs):
    return len(inputs) > SHOWN_ROWS


def matching(inputs, query):
    """The inputs whose name contains `query`, ignoring case and surrounding spaces."""
    wanted = query.strip().lower()
    return [(name, value) for name, value in inputs if wanted in name.lower()]


def panel_html(inputs, query=""):
    """Rows for the [(name, value)] whose name contains `query`, at most SHOWN_ROWS of
    them, or a line saying why there is nothing to show."""
    if not inputs:
        return ('<p class="inputs__empty">No inputs: name a number, like '
                '<code>a = 2</code>, to tune it here.</p>')
    found = matching(inputs, query)
    if not found:
        return (f'<p class="inputs__empty">No input name contains '
                f'<code>{escape(query.strip())}</code>.</p>')
    rows = "".join(row_html(name, value) for name, value in found[:SHOWN_ROWS])
    if len(found) > SHOWN_ROWS:
        rows += (f'<p class="inputs__empty" data-testid="inputs-more">{SHOWN_ROWS} of '
                 f'{len(found):,} shown: filter by name to find the others.</p>')
    return rows
