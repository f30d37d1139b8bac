"""How a node looks in every view: one colour per kind and a size from its degree.

GraphML, GEXF and the HTML viewer read these, so a Dataset is the same green
in Gephi, Gephi Lite and the browser. The palette is Okabe–Ito, which stays
distinguishable for the common forms of colour blindness.
"""

from __future__ import annotations

import math

KIND_COLORS: dict[str, str] = {
    "Paper": "#0072b2",
    "Method": "#d55e00",
    "Architecture": "#cc79a7",
    "Dataset": "#009e73",
    "Metric": "#e69f00",
    "Task": "#56b4e9",
    "Result": "#8c8c8c",
}
# A kind the palette does not know (a graph built by a newer resolver) still gets a colour.
OTHER_COLOR = "#bbbbbb"


def kind_color(kind: str | None) -> str:
    """The "#rrggbb" colour of a node kind.

    >>> kind_color("Dataset")
    '#009e73'
    >>> kind_color("Galaxy")
    '#bbbbbb'
    """
    return KIND_COLORS.get(kind or "", OTHER_COLOR)


def hex_to_rgb(color: str) -> tuple[int, int, int]:
    """The 0–255 channels of a "#rrggbb" colour, as Gephi's r, g, b columns want them.

    >>> hex_to_rgb("#0072b2")
    (0, 114, 178)
    """
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def node_size(degree: int) -> float:
    """The drawn size of a node with ``degree`` edges: grows with the square root, so hubs stay readable.

    >>> node_size(0), node_size(4)
    (5.0, 11.0)
    """
    return round(5.0 + 3.0 * math.sqrt(degree), 3)
