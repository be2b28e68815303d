"""The registry of generic graph checks, run in this order on every graph after reading.

Each check is a plain function `(graph, ctx) -> Iterable[Diagnostic]` whose docstring holds
Bad/Good examples. Severity comes from the code registry (`compiler/codes/core.py`); checks
never set it. Every check is O(n) (or O(n log n)) in the size of the graph: lookups go
through `_common.index(graph)`, built once per graph.
"""

from __future__ import annotations

from compiler.checks import CheckFn
from compiler.checks.auth import (
    check_env_names,
    check_env_present,
    check_literal_secrets,
    check_remote_without_auth,
    check_secrets_in_kept_settings,
)
from compiler.checks.crossfile import (
    check_cross_aliases,
    check_cross_models,
    check_cross_providers,
    check_cross_routes,
    check_cross_sets,
)
from compiler.checks.limits import check_convo_budget, check_costs, check_sampling, check_token_limits
from compiler.checks.references import (
    check_alias_targets,
    check_binding_models,
    check_deployment_providers,
    check_fallback_chains,
    check_route_models,
    check_unused_providers,
)
from compiler.checks.uniqueness import (
    check_unique_aliases,
    check_unique_models,
    check_unique_providers,
    check_unique_routes,
    check_unique_sets,
)
from compiler.checks.urls import check_url_endpoint_suffix, check_url_insecure, check_url_query, check_url_valid
from compiler.checks.wildcards import check_wildcard_expansion, check_wildcards

CHECKS: tuple[CheckFn, ...] = (
    # uniqueness
    check_unique_providers,  # UQ001
    check_unique_models,  # UQ002
    check_unique_sets,  # UQ003
    check_unique_aliases,  # UQ004
    check_unique_routes,  # UQ005
    # references
    check_deployment_providers,  # RF001
    check_binding_models,  # RF002
    check_fallback_chains,  # RF003, RF007
    check_alias_targets,  # RF004
    check_route_models,  # RF005
    check_unused_providers,  # RF006
    # limits
    check_token_limits,  # LM001, LM002, LM003
    check_costs,  # LM004
    check_sampling,  # LM005
    check_convo_budget,  # LM006
    # URLs
    check_url_valid,  # UR001
    check_url_query,  # UR002
    check_url_insecure,  # UR003
    check_url_endpoint_suffix,  # UR004
    # auth
    check_literal_secrets,  # AU001, AU006
    check_secrets_in_kept_settings,  # AU001
    check_env_present,  # AU002
    check_remote_without_auth,  # AU004
    check_env_names,  # AU005
    # wildcards
    check_wildcards,  # WC001
    check_wildcard_expansion,  # WC002
    # several files (--together)
    check_cross_providers,  # XF001
    check_cross_models,  # XF002
    check_cross_sets,  # XF003
    check_cross_aliases,  # XF004
    check_cross_routes,  # XF005
)

# code -> the check that reports it (for `explain` and the docs)
CODES: dict[str, CheckFn] = {
    "UQ001": check_unique_providers, "UQ002": check_unique_models, "UQ003": check_unique_sets,
    "UQ004": check_unique_aliases, "UQ005": check_unique_routes,
    "RF001": check_deployment_providers, "RF002": check_binding_models, "RF003": check_fallback_chains,
    "RF004": check_alias_targets, "RF005": check_route_models, "RF006": check_unused_providers,
    "RF007": check_fallback_chains,
    "LM001": check_token_limits, "LM002": check_token_limits, "LM003": check_token_limits,
    "LM004": check_costs, "LM005": check_sampling, "LM006": check_convo_budget,
    "UR001": check_url_valid, "UR002": check_url_query, "UR003": check_url_insecure,
    "UR004": check_url_endpoint_suffix,
    "AU001": check_literal_secrets, "AU002": check_env_present, "AU004": check_remote_without_auth,
    "AU005": check_env_names, "AU006": check_literal_secrets,
    "WC001": check_wildcards, "WC002": check_wildcard_expansion,
    "XF001": check_cross_providers, "XF002": check_cross_models, "XF003": check_cross_sets,
    "XF004": check_cross_aliases, "XF005": check_cross_routes,
}

# codes of these areas that a reader reports, not a graph check
READER_CODES = {
    "AU003": "the graph keeps one Auth per provider, so only a reader sees two methods set at once",
}
