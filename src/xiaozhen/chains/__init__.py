"""Industry-chain panoramas (产业链全景图, 002 §二(四)1): chain templates as data, enterprises placed
in segments by their GB/T 4754-2017 industry code, and the gaps an office should attract firms to fill.

    templates = load_chains()                       # chains/*.yaml
    chain = chain_for(templates, "tongzhou-towns", "high_end_manufacturing")
    panorama = place(chain, enterprises)           # [Firm(name, credit_code, industry_code)]
    panorama.gaps                                   # empty or weak segments, upstream first
"""

from ._chart import panorama_graph
from ._industry import IndustryCodeError, division_section, normalise_industry_code
from ._model import ChainTemplate, Segment, SegmentCode
from ._panorama import Firm, Panorama, SegmentResult, place
from ._registry import ChainProblem, chain_for, chains_dir, load_chain, load_chains

__all__ = [
    "ChainProblem",
    "ChainTemplate",
    "Firm",
    "IndustryCodeError",
    "Panorama",
    "Segment",
    "SegmentCode",
    "SegmentResult",
    "chain_for",
    "chains_dir",
    "division_section",
    "load_chain",
    "load_chains",
    "normalise_industry_code",
    "panorama_graph",
    "place",
]
