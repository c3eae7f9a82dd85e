"""The investment-attraction list (招商清单): the gaps and weak segments of a town's chains."""

from __future__ import annotations

import tempfile
from pathlib import Path

from xiaozhen._output import Sheet, write_xlsx
from xiaozhen.chains import Panorama
from xiaozhen.chains._panorama import STRENGTH_LABELS

HEADERS = ["产业链 Chain", "环节 Segment", "位置 Stage", "现有企业数 Firms", "状态 Status",
           "行业代码 GB/T 4754", "招商方向 Whom to attract"]


def attraction_rows(panoramas: list[Panorama]) -> list[list[object]]:
    rows: list[list[object]] = []
    for panorama in panoramas:
        for gap in panorama.gaps:
            segment = gap.segment
            zh, en = STRENGTH_LABELS[gap.strength]
            rows.append([
                panorama.chain.name.zh, f"{segment.label.zh} {segment.label.en}",
                f"{segment.stage_label.zh} {segment.stage_label.en}", gap.count, f"{zh} {en}",
                "；".join(f"{c.code} {c.label.zh}" for c in segment.codes),
                f"{segment.attract.zh}（{segment.attract.en}）",
            ])
    return rows


def attraction_xlsx(town_name: str, panoramas: list[Panorama]) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "attract.xlsx"
        write_xlsx(path, [Sheet("招商清单 Attract", HEADERS, attraction_rows(panoramas))])
        return path.read_bytes()
