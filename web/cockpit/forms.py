from __future__ import annotations

from django import forms

from portal.bilingual import bi_lazy


class BaseLayerForm(forms.Form):
    name = forms.CharField(label=bi_lazy("名称", "Name"), max_length=200,
                           help_text=bi_lazy("如：浙江省标准地图(县级行政区划)", "e.g. the province's standard map, county outlines"))
    approval_number = forms.CharField(label=bi_lazy("审图号", "Map approval number"), max_length=64,
                                      help_text=bi_lazy("如：浙S(2023)12号", "as printed on the approved map"))
    file = forms.FileField(label=bi_lazy("区划轮廓 GeoJSON", "Outlines (GeoJSON)"),
                           help_text=bi_lazy("每个县(市、区)一个要素，带 name", "one named feature per county"))
