"""upload_base_layer: an office's approved outlines for its cockpit map, versioned and audited."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from django.db import transaction
from shapely.geometry import mapping

import audit
from portal.errors import ActionError
from xiaozhen.spatial import SpatialError, boundary_problems, province_extent, read_boundaries

from . import permissions as perms
from .models import BaseLayer

if TYPE_CHECKING:
    from accounts.models import User
    from regions.models import Region


@transaction.atomic
def upload_base_layer(*, region: Region, name: str, approval_number: str, data: bytes, filename: str, by: User) -> BaseLayer:
    """Store the outlines (one feature per county or city, named) as a FeatureCollection in CGCS2000 lon/lat."""
    perms.can_upload_base_layer.require(by, region)
    if not approval_number.strip():
        raise ActionError("请填写审图号(标准地图须有审图号)", "the map approval number (审图号) is required",
                          field="approval_number")
    try:
        features = read_boundaries(data, filename=filename)
        extent = province_extent(region.code)
        problems = [p for f in features
                    for p in boundary_problems(f.geometry, source=filename, feature=f.index, name=f.name, extent=extent)]
        if problems:
            raise SpatialError(problems)
    except SpatialError as exc:
        raise ActionError("底图文件有问题，未保存", "the file has problems; nothing was saved", field="file",
                          details=[str(p) for p in exc.problems]) from None
    unnamed = [f.index for f in features if not f.name]
    if unnamed:
        raise ActionError("每个要素须有名称(name)", "every feature needs a name", field="file",
                          details=[f"{filename}: feature {i}" for i in unnamed])
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": f.name, "code": f.code}, "geometry": mapping(f.geometry)}
        for f in features]}
    previous = BaseLayer.objects.filter(region=region).order_by("-number").first()
    layer = BaseLayer.objects.create(region=region, number=(previous.number + 1 if previous else 1), name=name.strip(),
                                     approval_number=approval_number.strip(), uploaded_by=by,
                                     geojson=json.dumps(collection, ensure_ascii=False, separators=(",", ":")))
    audit.record(actor=by, verb="upload_base_layer", obj=layer, from_state=f"v{previous.number}" if previous else "",
                 to_state=f"v{layer.number}", data={"name": layer.name, "approval_number": layer.approval_number,
                                                    "features": len(features), "file": filename})
    return layer
