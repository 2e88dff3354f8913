"""Where the canvas puts a node it adds: the free spot nearest to where it is wanted."""

RESULT_GAP = 80.0  # from an operator's left edge to its result's
SPOT = (240.0, 60.0)  # room a new node takes: a value node's width and a row
SPOT_OFFSETS = sorted(((dx, dy) for dx in range(-3, 4) for dy in range(-5, 6)),
                      key=lambda d: (abs(d[0]) * 2 + abs(d[1]), d[0] < 0, d[1] < 0))


def free_spot(positions, near=None, ignore=None):
    """The free spot nearest to `near` (default: below everything placed so far), among
    `positions` ({key: [x, y]}, the one keyed `ignore` left out)."""
    if near is None:
        if not positions:
            return [40.0, 40.0]
        near = [min(x for x, _ in positions.values()),
                max(y for _, y in positions.values()) + SPOT[1]]
    taken = [p for key, p in positions.items() if key != ignore]
    for dx, dy in SPOT_OFFSETS:
        x, y = near[0] + dx * SPOT[0], near[1] + dy * SPOT[1]
        if all(abs(x - tx) >= SPOT[0] or abs(y - ty) >= SPOT[1] for tx, ty in taken):
            return [x, y]
    return [near[0], max(y for _, y in taken) + SPOT[1]]
