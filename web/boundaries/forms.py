"""Forms of the boundary pages: parse input; the actions check and decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from portal.bilingual import bi_lazy, bi_text
from portal.widgets import DatePicker
from xiaozhen.spatial import MAX_FILE_BYTES

from .models import Layer, RedLineKind

COORDINATE_CHOICES = [
    ("auto", bi_lazy("按文件声明(经纬度视为 CGCS2000/WGS84)", "as the file says (lon/lat read as CGCS2000/WGS84)")),
    ("cgcs2000", bi_lazy("CGCS2000 经纬度", "CGCS2000 longitude/latitude")),
    ("wgs84", bi_lazy("WGS84 经纬度(GPS)", "WGS84 longitude/latitude (GPS)")),
    ("gcj02", bi_lazy("GCJ-02(网络地图坐标)", "GCJ-02 (web-map coordinates)")),
]
FILE_HELP = bi_lazy(
    f"GeoJSON、压缩的 Shapefile(.zip)或 KML，不超过 {MAX_FILE_BYTES // (1024 * 1024)} MB",
    f"GeoJSON, a zipped Shapefile (.zip) or KML, up to {MAX_FILE_BYTES // (1024 * 1024)} MB",
)


class _FileForm(forms.Form):
    # An empty file is refused below, naming it (Django's own message names no file and has no English).
    file = forms.FileField(label=bi_lazy("文件", "File"), help_text=FILE_HELP, allow_empty_file=True)
    coordinates = forms.ChoiceField(label=bi_lazy("坐标", "Coordinates"), choices=COORDINATE_CHOICES, initial="auto")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = upload.name
        if not upload.size:
            raise forms.ValidationError(bi_text(f"文件 {name} 是空的", f"file {name} is empty"))
        if upload.size > MAX_FILE_BYTES:
            mb = MAX_FILE_BYTES // (1024 * 1024)
            raise forms.ValidationError(bi_text(
                f"文件 {name} 为 {upload.size / 1048576:.1f} MB，超过上限 {mb} MB",
                f"file {name} is {upload.size / 1048576:.1f} MB, over the {mb} MB limit"))
        return upload

    def file_args(self) -> dict[str, Any]:
        upload = self.cleaned_data["file"]
        return {"data": upload.read(), "filename": upload.name, "coordinates": self.cleaned_data["coordinates"]}


class BoundaryUploadForm(_FileForm):
    layer = forms.ChoiceField(label=bi_lazy("图层", "Layer"), choices=Layer.choices, initial=Layer.PLANNED)
    reason = forms.CharField(label=bi_lazy("说明", "Note"), required=False, max_length=500,
                             widget=forms.TextInput(attrs={"placeholder": "如：2025年调整四至范围"}))


class RedLineUploadForm(_FileForm):
    kind = forms.ChoiceField(label=bi_lazy("控制线", "Control line"), choices=RedLineKind.choices)
    name = forms.CharField(label=bi_lazy("图层名称", "Layer name"), max_length=200)
    dated = forms.DateField(label=bi_lazy("成果日期", "Dated"), widget=DatePicker(),
                            initial=dt.date.today)
    source = forms.CharField(label=bi_lazy("来源", "Source"), max_length=300,
                             help_text=bi_lazy("如：省自然资源厅“三区三线”划定成果", "e.g. the provincial 三区三线 results"))
