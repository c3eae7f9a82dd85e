"""BaseLayer: an office's approved standard-map outlines (标准地图, with its 审图号) for the cockpit map.

Without one the cockpit draws a schematic grid labelled 示意图: xiaozhen never draws a map of its own.
Rows change only through cockpit/actions.py.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from portal.bilingual import bi_lazy


class BaseLayer(models.Model):
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="base_layers",
                               verbose_name=bi_lazy("地区", "Region"))
    number = models.PositiveIntegerField(bi_lazy("版本", "Version"))
    name = models.CharField(bi_lazy("名称", "Name"), max_length=200)
    approval_number = models.CharField(bi_lazy("审图号", "Map approval number"), max_length=64)
    geojson = models.TextField(bi_lazy("区划轮廓(GeoJSON)", "Outlines (GeoJSON)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["region", "-number"]
        verbose_name = bi_lazy("驾驶舱底图", "Cockpit base layer")
        verbose_name_plural = bi_lazy("驾驶舱底图", "Cockpit base layers")
        constraints = [models.UniqueConstraint(fields=["region", "number"], name="base_layer_number_unique")]

    def __str__(self) -> str:
        return f"{self.name} v{self.number} ({self.approval_number})"

    @property
    def audit_region(self) -> Any:
        return self.region
