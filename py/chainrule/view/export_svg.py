"""The graph on screen as a standalone SVG: the same boxes, values, grads and highlight.

Drawn from the laid-out view and the cells the page shows, so it needs no browser and
matches what the canvas draws (sizes from layout.py, colours from the light theme).
"""

from html import escape

from .layout import CELL_WIDTH, CHAR_WIDTH, GROUP_HEADER, GROUP_ROW, NUMBER_PX, label_width
from .wire import NOT_FINITE

PADDING = 24
FONT = "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace"
INK = "#111827"
MUTED = "#94a3b8"
WARNING = "#b45309"  # nan and ±inf, as on the canvas
SMALL_INK = "#4b5563"
LABEL_BAND = 19  # a value node's name band, as graph-view.css draws it
LABEL_INSET = 6
ROW_INSET = 6
EDGE = "#94a3b8"
HIGHLIGHT = {"result": "#a78bfa", "operator": "#a78bfa", "operand": "#f59e0b",
             "constant": "#cbd5e1"}
TANGENT = ("#0891b2", "#ecfeff", "#0e7490")  # border, background, ink
TANGENT_HEIGHT = 18  # the tab under a value node in forward mode, as graph-view.css draws it
ROLE_STYLE = {  # role -> (border, label background, dashed)
    "input": ("#2563eb", "#dbeafe", False),
    "constant": ("#9ca3af", "#f3f4f6", True),
    "output": ("#16a34a", "#dcfce7", False),
    "intermediate": ("#64748b", "#f1f5f9", False),
}


def graph_svg(view):
    """SVG text for a session's whole view: {nodes, edges} with positions, and the cells."""
    cells = view["cells"]
    boxes = {n["id"]: (n["position"]["x"], n["position"]["y"], n["width"], n["height"])
             for n in view["nodes"]}
    left = min(x for x, _, _, _ in boxes.values()) - PADDING
    top = min(y for _, y, _, _ in boxes.values()) - PADDING
    width = max(x + w for x, _, w, _ in boxes.values()) - left + PADDING
    height = max(y + h for _, y, _, h in boxes.values()) - top + PADDING
    if any(cell.get("tt") for cell in cells.values()):  # the tangent tabs hang below
        height += TANGENT_HEIGHT
    across = view["nodes"][0].get("sourcePosition", "right") == "right"
    nodes = {n["id"]: n for n in view["nodes"]}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="{left:.1f} {top:.1f} {width:.0f} {height:.0f}" font-family="{FONT}" '
        f'font-size="13">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" '
        f'markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        f'fill="{EDGE}"/></marker></defs>',
        f'<rect x="{left:.1f}" y="{top:.1f}" width="{width:.0f}" height="{height:.0f}" '
        'fill="#ffffff"/>',
    ]
    for node in view["nodes"]:
        if node["type"] == "frame":
            parts.append(_frame(node, boxes[node["id"]], across))
    for edge in view["edges"]:
        parts.append(_edge(edge, boxes, nodes, across, cells.get(edge["id"], {})))
    for node in view["nodes"]:
        cell = cells.get(node["id"], {})
        if node["type"] == "group":
            parts.append(_group(node, boxes[node["id"]], cell, cells))
        elif node["type"] != "frame":
            draw = _value if node["type"] == "value" else _operator
            parts.append(draw(node, boxes[node["id"]], cell))
    parts.append("</svg>")
    return "\n".join(parts)


def _edge(edge, boxes, nodes, across, cell):
    sx, sy, sw, sh = boxes[edge["source"]]
    tx, ty, tw, th = boxes[edge["target"]]
    handle = edge.get("targetHandle")
    share = 0.5
    if handle and nodes[edge["target"]]["data"].get("arity") == 2:
        share = 0.3 if handle == "in0" else 0.7
    if across:
        start, end = (sx + sw, sy + sh / 2), (tx, ty + th * share)
        bend = max(abs(end[0] - start[0]) / 2, 20)
        c1, c2 = (start[0] + bend, start[1]), (end[0] - bend, end[1])
    else:
        start, end = (sx + sw / 2, sy + sh), (tx + tw * share, ty)
        bend = max(abs(end[1] - start[1]) / 2, 20)
        c1, c2 = (start[0], start[1] + bend), (end[0], end[1] - bend)
    hl = cell.get("hl")
    stroke = HIGHLIGHT["constant" if hl == "constant" else "operand"] if hl else EDGE
    return (f'<path d="M{start[0]:.1f},{start[1]:.1f} C{c1[0]:.1f},{c1[1]:.1f} '
            f'{c2[0]:.1f},{c2[1]:.1f} {end[0]:.1f},{end[1]:.1f}" fill="none" '
            f'stroke="{stroke}" stroke-width="{3 if hl else 1.5}" marker-end="url(#arrow)"/>')


def _ring(x, y, w, h, hl, radius):
    if not hl:
        return ""
    return (f'<rect x="{x - 3:.1f}" y="{y - 3:.1f}" width="{w + 6:.1f}" height="{h + 6:.1f}" '
            f'rx="{radius + 3}" fill="none" stroke="{HIGHLIGHT[hl]}" stroke-width="3"/>')


def _text(x, y, text, text_anchor="middle", **attributes):
    extra = "".join(f' {key.replace("_", "-")}="{value}"' for key, value in attributes.items())
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{text_anchor}"{extra}>'
            f'{escape(text)}</text>')


def fitted_label(label, width):
    """`label` cut with an ellipsis to fit `width` px, as the page's CSS cuts it."""
    room = max(1, int((width - 2 * LABEL_INSET) // CHAR_WIDTH))
    return label if len(label) <= room else label[:room - 1] + "…"


def _ink(number_text):
    """The colour of a cell's number: the warning colour for nan and ±inf."""
    return WARNING if number_text in NOT_FINITE else INK


def _value(node, box, cell):
    """A value node as the page draws it: its name on top, then the data and grad rows."""
    x, y, w, h = box
    data = node["data"]
    border, label_bg, dashed = ROLE_STYLE.get(data["role"], ROLE_STYLE["intermediate"])
    known = cell.get("g", "") != ""
    dash = ' stroke-dasharray="4 3"' if dashed else ""
    row = (h - LABEL_BAND) / 2
    data_mid, grad_mid = y + LABEL_BAND + row / 2, y + LABEL_BAND + 1.5 * row
    parts = [
        f'<g data-id="{escape(node["id"])}">',
        f'<title>{escape(data["label"])}</title>' if data["label"] else "",
        _ring(x, y, w, h, cell.get("hl"), 6),
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="6" '
        f'fill="#ffffff" stroke="{border}" stroke-width="1.5"{dash}/>',
        f'<path d="M{x + 0.75:.1f},{y + LABEL_BAND:.1f} V{y + 6:.1f} '
        f'Q{x + 0.75:.1f},{y + 0.75:.1f} {x + 6:.1f},{y + 0.75:.1f} H{x + w - 6:.1f} '
        f'Q{x + w - 0.75:.1f},{y + 0.75:.1f} {x + w - 0.75:.1f},{y + 6:.1f} '
        f'V{y + LABEL_BAND:.1f} Z" fill="{label_bg}"/>',
        f'<line x1="{x:.1f}" y1="{y + LABEL_BAND:.1f}" x2="{x + w:.1f}" '
        f'y2="{y + LABEL_BAND:.1f}" stroke="{border}"/>',
    ]
    if cell.get("done"):
        parts.append(f'<rect x="{x + 0.75:.1f}" y="{y + LABEL_BAND + row:.1f}" '
                     f'width="{w - 1.5:.1f}" height="{row - 0.75:.1f}" rx="5" fill="#ecfdf5"/>')
    parts += [
        f'<line x1="{x + 4:.1f}" y1="{y + LABEL_BAND + row:.1f}" x2="{x + w - 4:.1f}" '
        f'y2="{y + LABEL_BAND + row:.1f}" stroke="#cbd5e1" stroke-dasharray="3 2"/>',
        _text(x + w / 2, y + LABEL_BAND / 2 + 4.5, fitted_label(data["label"], w),
              font_weight="700", fill=INK),
        _text(x + ROW_INSET, data_mid + 3, "DATA", font_size="9", fill=SMALL_INK,
              text_anchor="start"),
        _text(x + w - ROW_INSET, data_mid + 5, cell.get("vt", ""), fill=_ink(cell.get("v")),
              font_size=NUMBER_PX, text_anchor="end"),
        _text(x + ROW_INSET, grad_mid + 3, "GRAD", font_size="9", fill=SMALL_INK,
              text_anchor="start"),
        _text(x + w - ROW_INSET, grad_mid + 5, cell.get("gt", "") if known else "?",
              fill=_ink(cell.get("g")) if known else MUTED, font_size=NUMBER_PX,
              text_anchor="end",
              font_weight="700" if cell.get("done") else "400"),
        _tangent(x + w - CELL_WIDTH, y + h, cell.get("tt", ""), cell.get("t", "") != ""),
        "</g>",
    ]
    return "".join(parts)


def _tangent(x, y, text, known):
    """Forward mode's tab under the grad cell: the value's tangent, or ? before the sweep
    reaches it; nothing when forward mode is off."""
    if not text:
        return ""
    border, background, ink = TANGENT
    return "".join([
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{CELL_WIDTH:.1f}" height="{TANGENT_HEIGHT}" '
        f'rx="4" fill="{background}" stroke="{border}" stroke-width="1.5"/>',
        _text(x + 22, y + 12.5, "TANGENT", font_size="8", fill=ink),
        _text(x + 58, y + 13, text, font_size="11", fill=ink if known else MUTED),
    ])


def _operator(node, box, cell):
    """An operator: a circle, or a pill as wide as its name."""
    x, y, w, h = box
    r = h / 2
    symbol = node["data"]["op"]
    return "".join([
        f'<g data-id="{escape(node["id"])}">',
        _ring(x, y, w, h, cell.get("hl"), r) if cell.get("hl") else "",
        f'<rect x="{x + 0.75:.1f}" y="{y + 0.75:.1f}" width="{w - 1.5:.1f}" '
        f'height="{h - 1.5:.1f}" rx="{r - 0.75:.1f}" fill="#fef9c3" stroke="#a16207" '
        'stroke-width="1.5"/>',
        _text(x + w / 2, y + r + 4.5, symbol, font_weight="700", fill=INK),
        "</g>",
    ])


def _frame(node, box, across):
    """An expanded group: a dashed outline, its name in the strip dagre leaves inside."""
    x, y, w, h = box
    name = node["data"]["name"]
    label = (f'<text x="{x + 16:.1f}" y="{y + h / 2:.1f}" text-anchor="middle" font-size="11" '
             f'fill="{MUTED}" transform="rotate(-90 {x + 16:.1f} {y + h / 2:.1f})">'
             f'{escape(name)}</text>' if across else
             _text(x + w / 2, y + 16, name, font_size="11", fill=MUTED))
    return (f'<g data-id="{escape(node["id"])}"><rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" '
            f'height="{h:.1f}" rx="10" fill="none" stroke="{MUTED}" stroke-dasharray="6 4"/>'
            f'{label}</g>')


def _group(node, box, cell, cells):
    """A collapsed group: its name, then a row per value leaving it."""
    x, y, w, h = box
    data = node["data"]
    parts = [f'<g data-id="{escape(node["id"])}">', _ring(x, y, w, h, cell.get("hl"), 8),
             f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="8" '
             f'fill="#f5f3ff" stroke="#7c3aed" stroke-width="1.5"/>',
             _text(x + w / 2, y + 16, data["name"], font_weight="700", fill="#5b21b6")]
    for k, (value_id, label) in enumerate(data["outputs"]):
        row = cells.get(value_id, {})
        top = y + GROUP_HEADER + k * GROUP_ROW
        known = row.get("g", "") != ""
        parts += [
            f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x + w:.1f}" y2="{top:.1f}" stroke="#c4b5fd"/>',
            _text(x + label_width(label) / 2, top + 16, fitted_label(label, label_width(label)),
                  fill=INK),
            _text(x + w - 1.5 * CELL_WIDTH, top + 16.5, row.get("vt", ""), fill=_ink(row.get("v")),
                  font_size=NUMBER_PX),
            _text(x + w - CELL_WIDTH / 2, top + 16.5, row.get("gt", "") if known else "?",
                  fill=_ink(row.get("g")) if known else MUTED, font_size=NUMBER_PX),
        ]
    parts.append("</g>")
    return "".join(parts)
