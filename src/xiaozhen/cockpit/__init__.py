"""The cockpit's arithmetic, free of Django: target projections with a band, schematic grids, simplification."""

from ._projection import STATUS_LABELS, Projection, project_linear, target_status
from ._schematic import Cell, label_point, schematic_grid, spread_in_cell
from ._simplify import ZOOM_TOLERANCE_DEG, simplified

__all__ = [
    "STATUS_LABELS",
    "ZOOM_TOLERANCE_DEG",
    "Cell",
    "Projection",
    "label_point",
    "project_linear",
    "schematic_grid",
    "simplified",
    "spread_in_cell",
    "target_status",
]
