"""Enterprises (企业) and the per-mu evaluation (亩均效益综合评价, "亩均论英雄").

``read_enterprises`` reads and validates enterprise facts (credit codes to GB 32100-2015);
``load_method`` reads a per-mu method file (methods/per-mu/); ``per_mu`` scores, ranks and
classes every enterprise, vectorised in Polars; ``run_record`` gives the hashes that
reproduce a run. See docs/per-mu.md.
"""

from ._engine import STATUS_LABELS, PerMuError, PerMuResult, per_mu, run_record
from ._facts import (
    ENTERPRISE_COLUMNS,
    MAX_PARQUET_ROWS,
    EnterpriseColumn,
    read_enterprises,
    validate_enterprises,
)
from ._method import (
    FIELDS,
    PerMuMethod,
    find_method,
    load_method,
    method_sha256,
    methods_dir,
    shown_value,
)
from ._pools import (
    FIRST_CERTIFICATION_FLOOR,
    RENEWAL_FLOOR,
    Reward,
    RewardFinding,
    check_rewards,
    gazelles,
    leaders,
)

__all__ = [
    "ENTERPRISE_COLUMNS",
    "FIELDS",
    "FIRST_CERTIFICATION_FLOOR",
    "MAX_PARQUET_ROWS",
    "RENEWAL_FLOOR",
    "STATUS_LABELS",
    "EnterpriseColumn",
    "PerMuError",
    "PerMuMethod",
    "PerMuResult",
    "Reward",
    "RewardFinding",
    "check_rewards",
    "find_method",
    "gazelles",
    "leaders",
    "load_method",
    "method_sha256",
    "methods_dir",
    "per_mu",
    "read_enterprises",
    "run_record",
    "shown_value",
    "validate_enterprises",
]
