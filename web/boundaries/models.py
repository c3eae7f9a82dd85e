"""BoundaryVersion, RedLineLayer and RedLineFinding.

* BoundaryVersion — one uploaded boundary of a town, for one layer: the planned (规划/四至) area or the
  construction area (建设范围, 003 §三(二)). Versions are never edited: a new upload adds the next number.
  The geometry is stored as GeoJSON in CGCS2000 longitude/latitude, with its Gauss-Krüger area and zone.
* RedLineLayer — a control-line layer uploaded by a provincial office (生态保护红线, 永久基本农田,
  城镇开发边界), with its date and source; versions by number per region and kind. Comparing the towns with a
  new layer runs as a background task (boundaries.tasks); ``refresh_*`` hold its status and progress.
* RedLineFinding — a town's current boundary compared with a layer: overlap in m² and as a share, the
  overlapping (or outside) part as evidence. Replaced when either side changes.

Rows change only through boundaries/actions.py.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from portal.bilingual import bi_lazy


class Layer(models.TextChoices):
    PLANNED = "planned", bi_lazy("规划范围(四至)", "Planned area (boundary)")
    CONSTRUCTION = "construction", bi_lazy("建设范围", "Construction area")


class RedLineKind(models.TextChoices):
    ECOLOGICAL = "ecological_red_line", bi_lazy("生态保护红线", "Ecological protection red line")
    FARMLAND = "permanent_farmland", bi_lazy("永久基本农田", "Permanent basic farmland")
    DEVELOPMENT = "development_boundary", bi_lazy("城镇开发边界", "Urban development boundary")


class BoundaryVersion(models.Model):
    town = models.ForeignKey("towns.Town", on_delete=models.PROTECT, related_name="boundary_versions")
    layer = models.CharField(bi_lazy("图层", "Layer"), max_length=16, choices=Layer.choices)
    number = models.PositiveIntegerField(bi_lazy("版本", "Version"))
    geojson = models.TextField(bi_lazy("边界(GeoJSON, CGCS2000 经纬度)", "Boundary (GeoJSON, CGCS2000 lon/lat)"))
    area_m2 = models.FloatField(bi_lazy("面积(平方米)", "Area (m²)"))
    zone_epsg = models.PositiveIntegerField(bi_lazy("投影带 EPSG", "Zone EPSG"))
    centroid_lon = models.FloatField(bi_lazy("中心经度", "Centre longitude"))
    centroid_lat = models.FloatField(bi_lazy("中心纬度", "Centre latitude"))
    is_current = models.BooleanField(bi_lazy("现行版本", "Current version"), default=True, db_index=True)
    source_name = models.CharField(bi_lazy("上传文件", "Uploaded file"), max_length=200)
    source_format = models.CharField(bi_lazy("文件格式", "File format"), max_length=16)
    coordinates = models.CharField(bi_lazy("原坐标", "Coordinates given in"), max_length=16)
    reason = models.TextField(bi_lazy("说明", "Note"), blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(bi_lazy("上传时间", "Uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["town", "layer", "-number"]
        verbose_name = bi_lazy("边界版本", "Boundary version")
        verbose_name_plural = bi_lazy("边界版本", "Boundary versions")
        constraints = [models.UniqueConstraint(fields=["town", "layer", "number"], name="boundary_version_number_unique")]

    def __str__(self) -> str:
        return f"{self.town_id} {self.get_layer_display()} v{self.number}"

    @property
    def audit_region(self) -> Any:
        return self.town.region

    @property
    def area_km2(self) -> float:
        return self.area_m2 / 1e6


class RefreshStatus(models.TextChoices):
    QUEUED = "queued", bi_lazy("排队中", "Queued")
    RUNNING = "running", bi_lazy("比对中", "Comparing")
    DONE = "done", bi_lazy("已完成", "Done")
    FAILED = "failed", bi_lazy("失败", "Failed")


class RedLineLayer(models.Model):
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="red_line_layers",
                               verbose_name=bi_lazy("适用地区", "Region"))
    kind = models.CharField(bi_lazy("控制线", "Control line"), max_length=24, choices=RedLineKind.choices)
    number = models.PositiveIntegerField(bi_lazy("版本", "Version"))
    name = models.CharField(bi_lazy("图层名称", "Layer name"), max_length=200)
    dated = models.DateField(bi_lazy("成果日期", "Dated"))
    source = models.CharField(bi_lazy("来源", "Source"), max_length=300)
    geojson = models.TextField(bi_lazy("图形(GeoJSON)", "Geometry (GeoJSON)"))
    area_m2 = models.FloatField(bi_lazy("面积(平方米)", "Area (m²)"))
    source_name = models.CharField(bi_lazy("上传文件", "Uploaded file"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(bi_lazy("上传时间", "Uploaded at"), auto_now_add=True)
    # the comparison of the region's towns with this layer, run by the db_worker (boundaries.tasks)
    refresh_status = models.CharField(bi_lazy("比对状态", "Comparison"), max_length=8, choices=RefreshStatus.choices,
                                      default=RefreshStatus.QUEUED)
    refresh_progress = models.PositiveSmallIntegerField(bi_lazy("比对进度", "Progress"), default=0)  # percent
    refresh_towns = models.PositiveIntegerField(bi_lazy("已比对小镇", "Towns compared"), default=0)
    refresh_crossed = models.PositiveIntegerField(bi_lazy("触碰小镇", "Towns crossing"), default=0)
    refresh_error = models.TextField(blank=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["region", "kind", "-number"]
        verbose_name = bi_lazy("控制线图层", "Control-line layer")
        verbose_name_plural = bi_lazy("控制线图层", "Control-line layers")
        constraints = [models.UniqueConstraint(fields=["region", "kind", "number"], name="red_line_layer_number_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.number} ({self.dated})"

    @property
    def audit_region(self) -> Any:
        return self.region


class RedLineFinding(models.Model):
    town = models.ForeignKey("towns.Town", on_delete=models.CASCADE, related_name="red_line_findings")
    layer = models.ForeignKey(RedLineLayer, on_delete=models.CASCADE, related_name="findings")
    boundary = models.ForeignKey(BoundaryVersion, on_delete=models.CASCADE, related_name="findings")
    overlap_m2 = models.FloatField(bi_lazy("重叠面积(平方米)", "Overlap (m²)"))
    overlap_share = models.FloatField(bi_lazy("重叠占比", "Overlap share"))
    outside_m2 = models.FloatField(bi_lazy("界外面积(平方米)", "Outside (m²)"), null=True, blank=True)
    crossed = models.BooleanField(bi_lazy("触碰", "Crossed"))
    evidence_geojson = models.TextField(bi_lazy("重叠部分(GeoJSON)", "Overlapping part (GeoJSON)"), blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["town", "layer__kind"]
        verbose_name = bi_lazy("控制线核查结果", "Control-line finding")
        verbose_name_plural = bi_lazy("控制线核查结果", "Control-line findings")
        constraints = [models.UniqueConstraint(fields=["town", "layer"], name="red_line_finding_one_per_layer")]

    def __str__(self) -> str:
        return f"{self.town_id} × {self.layer}: {self.overlap_m2:.0f} m²"
