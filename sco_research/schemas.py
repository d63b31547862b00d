"""pandera schemas of the curated tables, built from :data:`sco_research.rules.COLUMN_RULES`.

Importing this module imports pandera. Loading the data does so only when the
cheap check of :func:`sco_research.rules.violated` finds a problem, to report
it in detail; the schemas are also available for reuse::

    from sco_research.schemas import SCHEMAS
    SCHEMAS["memberships"].validate(frame, lazy=True)
"""

from __future__ import annotations

import pandera.pandas as pa

from .rules import COLUMN_RULES, Rule

__all__ = ["SCHEMAS", "column"]


def column(rule: Rule) -> pa.Column:
    """The pandera column for one rule (same checks, same error messages)."""
    checks = []
    if rule.dtype == "string" and not rule.empty_ok:
        checks.append(pa.Check.str_length(min_value=1, error="must not be empty"))
    if rule.regex is not None:
        checks.append(pa.Check.str_matches(rule.regex, error=rule.error))
    if rule.isin is not None:
        checks.append(pa.Check.isin(rule.isin, error=rule.error))
    if rule.ge is not None:
        checks.append(pa.Check.ge(rule.ge, error=rule.error))
    if rule.in_range is not None:
        checks.append(pa.Check.in_range(*rule.in_range, error=rule.error))
    return pa.Column(rule.dtype, checks=checks, nullable=rule.nullable, unique=rule.unique)


SCHEMAS: dict[str, pa.DataFrameSchema] = {
    name: pa.DataFrameSchema({col: column(rule) for col, rule in rules.items()})
    for name, rules in COLUMN_RULES.items()
}
