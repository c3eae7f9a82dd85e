"""Programme files: schema, loader and the shipped registry."""

from ._defaults import Default, criterion_defaults, policy_defaults
from ._expressions import ExpressionError, compile_expression, referenced_names
from ._inputs import reported_inputs, stage_inputs
from ._loader import (
    CONTEXT_NAMES,
    HISTORY_NAMES,
    PolicyFileError,
    PolicyProblem,
    auto_names,
    load_policy_file,
    resolve_parameter_value,
)
from ._reform import Reform, apply_reform, parse_reform, read_reform
from ._registry import get_policy, load_all, policies_dir, policy_files
from ._schema import STAGES, Criterion, Indicator, Parameter, Policy, Text, Tier, Transition

__all__ = [
    "CONTEXT_NAMES",
    "HISTORY_NAMES",
    "STAGES",
    "Criterion",
    "Default",
    "ExpressionError",
    "Indicator",
    "Parameter",
    "Policy",
    "PolicyFileError",
    "PolicyProblem",
    "Reform",
    "Text",
    "Tier",
    "Transition",
    "apply_reform",
    "auto_names",
    "compile_expression",
    "criterion_defaults",
    "get_policy",
    "load_all",
    "load_policy_file",
    "parse_reform",
    "policies_dir",
    "policy_defaults",
    "policy_files",
    "read_reform",
    "referenced_names",
    "reported_inputs",
    "resolve_parameter_value",
    "stage_inputs",
]
