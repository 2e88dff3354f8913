"""The gradient check's results as the page's table."""

from html import escape

from ..core.gradcheck import NOT_CHECKED, headline


def report_html(checks):
    """The checks as a table for the page (names are identifiers, but escaped anyway)."""
    if not checks:
        return '<p class="gradcheck__none">No inputs to check.</p>'
    rows = []
    for c in checks:
        note = f"{c.error:.1e}" if c.checked else NOT_CHECKED[c.verdict]
        rows.append(f'<tr class="is-{c.verdict}" data-name="{escape(c.name)}">'
                    f'<th scope="row">{escape(c.name)}</th><td>{c.backprop:.10g}</td>'
                    f'<td>{c.numeric:.10g}</td><td>{note}</td></tr>')
    verdict, text = headline(checks)
    worst = max((c.error for c in checks if c.checked), default=None)
    return (f'<p class="gradcheck__worst is-{verdict}" data-testid="grad-check-worst" '
            f'data-verdict="{verdict}" data-error="{worst!r}">{escape(text)}</p>'
            '<table class="gradcheck__table"><thead><tr><th scope="col">input</th>'
            '<th scope="col">backprop</th><th scope="col">finite differences</th>'
            '<th scope="col">relative error</th></tr></thead><tbody>'
            + "".join(rows) + "</tbody></table>")
