"""Demo: each programme's office details (letterhead, document-number prefix) and, for Tongzhou and
Zhejiang, a sample seal image clearly marked 演示 DEMO, so printed documents look like the real thing
without imitating any real seal."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from demo.registry import DemoContext, demo_step
from demo.steps import decider
from documents.actions import save_office_profile
from documents.models import OfficeProfile

OFFICES = {
    "tongzhou-towns": ("南通市通州区特色小镇培育创建工作联席会议办公室文件", "通特镇办",
                       "南通市通州区特色小镇培育创建工作联席会议办公室",
                       "Tongzhou District characteristic-town joint meeting office", True),
    "zhejiang-towns": ("浙江省特色小镇规划建设工作联席会议办公室文件", "浙特镇办",
                       "浙江省特色小镇规划建设工作联席会议办公室",
                       "Zhejiang characteristic-town joint conference office", True),
    "guangxi-innovation-towns": ("广西壮族自治区科学技术厅文件", "桂科高字", "广西壮族自治区科学技术厅",
                                 "Department of Science and Technology of Guangxi", False),
    "guangxi-hitech-zones": ("广西壮族自治区科学技术厅文件", "桂科区字", "广西壮族自治区科学技术厅",
                             "Department of Science and Technology of Guangxi", False),
    "guangdong-specialised-towns": ("广东省科学技术厅文件", "粤科产字", "广东省科学技术厅",
                                    "Department of Science and Technology of Guangdong", False),
}
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"


def sample_seal() -> bytes:
    """A red ring with a star and 演示 DEMO: the look of a seal, plainly not one."""
    from PIL import Image, ImageDraw, ImageFont

    size = 400
    image = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    red = (200, 22, 29, 230)
    draw.ellipse((10, 10, size - 10, size - 10), outline=red, width=14)
    cx, cy, r = size / 2, size / 2 - 20, 60
    import math

    points = [(cx + (r if i % 2 == 0 else r * 0.4) * math.sin(i * math.pi / 5),
               cy - (r if i % 2 == 0 else r * 0.4) * math.cos(i * math.pi / 5)) for i in range(10)]
    draw.polygon(points, fill=red)
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont
    small: ImageFont.FreeTypeFont | ImageFont.ImageFont
    try:
        font = ImageFont.truetype(FONT, 56)
        small = ImageFont.truetype(FONT, 36)
    except OSError:  # no CJK font: the star and ring are enough
        font = small = ImageFont.load_default()
    draw.text((cx, cy + 110), "演示专用", fill=red, font=font, anchor="mm")
    draw.text((cx, cy + 165), "DEMO", fill=red, font=small, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@demo_step(order=190, name="office details and sample seals for printed documents")
def offices(ctx: DemoContext) -> None:
    for pid, (letterhead, prefix, issuer_zh, issuer_en, with_seal) in OFFICES.items():
        programme = ctx.programmes.get(pid)
        towns = ctx.towns.get(pid) or []
        if programme is None or not towns or OfficeProfile.objects.filter(programme=programme).exists():
            continue
        seal = SimpleUploadedFile("seal.png", sample_seal(), content_type="image/png") if with_seal else None
        save_office_profile(programme=programme, by=decider(ctx, programme, towns[0]), letterhead_zh=letterhead,
                            issuer_zh=issuer_zh, issuer_en=issuer_en, number_prefix=prefix, seal=seal,
                            reason="演示数据 demo data")
    ctx.say("documents: manage.py render_documents --out var/documents writes one PDF of each kind; "
            "public town profiles at /t/<town code>/")
