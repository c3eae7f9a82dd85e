"""Demo: enterprises with GB/T 4754 industry codes in Tongzhou and Zhejiang towns, so each town's
industry-chain panorama shows some segments filled and some gaps to attract firms to."""

from __future__ import annotations

from demo.registry import DemoContext, demo_step
from demo.steps import _credit_code, province_officer
from towns.actions import register_enterprise
from towns.models import Enterprise
from xiaozhen.chains import chain_for, load_chains

SUFFIX = {"upstream": "材料科技有限公司", "midstream": "制造有限公司", "downstream": "服务有限公司"}


@demo_step(order=55, name="enterprises placed in industry chains")
def chain_enterprises(ctx: DemoContext) -> None:
    templates = load_chains()
    for pid in ("tongzhou-towns", "zhejiang-towns"):
        for town in ctx.towns.get(pid, []):
            chain = chain_for(templates, pid, town.category)
            if chain is None or town.enterprises.exclude(industry="").filter(industry__regex=r"^[A-T][0-9]{2,4}$").exists():
                continue
            rng = ctx.rng(f"chain-enterprises:{town.code}")
            # about two thirds of the segments get firms (one of them only one: weak); the rest are gaps
            filled = [s for s in chain.segments if rng.random() < 0.67]
            for n, segment in enumerate(filled):
                for k in range(1 if n == 0 else rng.randint(2, 3)):
                    code = segment.codes[rng.randrange(len(segment.codes))].code
                    credit = _credit_code(rng, town.region.code)
                    if Enterprise.objects.filter(credit_code=credit).exists():
                        continue
                    name = f"{town.name_zh[:2]}{segment.label.zh[:2]}{'甲乙丙'[k]}{SUFFIX[segment.stage]}"
                    register_enterprise(town=town, credit_code=credit, name_zh=name, by=province_officer(ctx, town),
                                        industry=code, is_above_scale=rng.random() < 0.6,
                                        is_high_tech=rng.random() < 0.4, has_rd_institution=rng.random() < 0.3)
