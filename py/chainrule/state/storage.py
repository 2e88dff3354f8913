"""The names under which the page keeps its things in the browser's storage. index.html
reads the theme and the panel before the first paint; the page's shell reads the rest
before Python is up (first_steps.py)."""

STORAGE = {
    "text": "chainrule:text",
    "collapsed": "chainrule:collapsed",  # the saved text's collapsed groups, as JSON
    "example": "chainrule:example",  # the example the saved text came from
    "theme": "chainrule:theme",
    "direction": "chainrule:direction",  # set once the user picks a direction
    "panel": "chainrule:panel",  # "open" or "collapsed"; index.html reads it before painting
    "lesson": "chainrule:lesson",  # the lesson and its step, as JSON (state/lesson_position.py)
}
