"""What the page draws: the graph as nodes and edges, groups, the layout, the SVG export
and the strict-JSON encoding everything crosses to the renderer in.

Depends on core only."""
