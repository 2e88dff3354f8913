"""The page's look the user picks: the colour theme's cycle and the side panel's toggle."""

THEMES = ("system", "light", "dark")


def next_theme(now):
    """The theme after `now` in the cycle (the first for anything unknown)."""
    return THEMES[(THEMES.index(now) + 1) % len(THEMES)] if now in THEMES else THEMES[0]


def known_theme(theme):
    """`theme`, or the first of the cycle for a value edited by hand into storage."""
    return theme if theme in THEMES else THEMES[0]


def theme_button(theme):
    """{attribute: text} of the theme button for `theme`."""
    return {"textContent": f"◐ Theme: {theme}",
            "aria-label": f"Colour theme: {theme} (click to change)"}


def toggled_panel(panel):
    """The panel's state after its toggle: "open" or "collapsed"."""
    return "open" if panel == "collapsed" else "collapsed"


def panel_button(panel):
    """{attribute: text} of the panel toggle while the panel is `panel`."""
    collapsed = panel == "collapsed"
    return {"aria-expanded": "false" if collapsed else "true",
            "aria-label": "Show the panel" if collapsed else "Hide the panel",
            "title": ("Show the panel: editor, inputs, training ([)" if collapsed
                      else "Hide the panel: more room for the graph ([)"),
            "textContent": "»" if collapsed else "«"}
