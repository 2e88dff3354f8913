"""The page around the graph: the theme and panel buttons' words, and the keys the page
keeps in the browser's storage. The glue writes these; the build hands them to the page,
whose shell works these buttons until Python is up (first_steps.py)."""

TEXT_KEY = "chainrule:text"
COLLAPSED_KEY = "chainrule:collapsed"  # the saved text's collapsed groups, as JSON
EXAMPLE_KEY = "chainrule:example"  # the example the saved text came from
THEME_KEY = "chainrule:theme"
DIRECTION_KEY = "chainrule:direction"  # set once the user picks a direction
PANEL_KEY = "chainrule:panel"  # "open" or "collapsed"; index.html reads it before painting
THEMES = ("system", "light", "dark")
PANEL_STATES = ("open", "collapsed")


def next_theme(theme):
    """The theme after `theme` when the button is pressed (the first after an unknown one)."""
    return THEMES[(THEMES.index(theme) + 1) % len(THEMES)] if theme in THEMES else THEMES[0]


def theme_button(theme):
    """{text, aria-label} of the theme button while `theme` is on."""
    return {"text": f"◐ Theme: {theme}", "aria-label": f"Colour theme: {theme} (click to change)"}


def other_panel(state):
    return "open" if state == "collapsed" else "collapsed"


def panel_button(state):
    """{text, title, aria-label, aria-expanded} of the panel's toggle while the panel is
    `state` ("open" or "collapsed")."""
    collapsed = state == "collapsed"
    return {"text": "»" if collapsed else "«",
            "title": ("Show the panel: editor, inputs, training ([)" if collapsed
                      else "Hide the panel: more room for the graph ([)"),
            "aria-label": "Show the panel" if collapsed else "Hide the panel",
            "aria-expanded": "false" if collapsed else "true"}
