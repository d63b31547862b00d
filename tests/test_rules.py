"""The two readings of the column rules agree: the cheap pandas check and the pandera schemas."""

import pandas as pd
import pandera.pandas as pa
import pytest

from sco_research.datasets import load_tables
from sco_research.rules import COLUMN_RULES, violated
from sco_research.schemas import SCHEMAS


def _breakers(rule):
    """(description, function that breaks the column in a copy of the frame) for every check of a rule."""
    def set_first(value):
        def apply(frame, column):
            frame[column] = frame[column].astype("object")
            frame.loc[frame.index[0], column] = value
            frame[column] = frame[column].astype(rule.dtype)
        return apply

    out = []
    if not rule.nullable:
        out.append(("missing value", set_first(pd.NA if rule.dtype != "bool" else None)))
    if rule.dtype == "string" and not rule.empty_ok:
        out.append(("empty text", set_first("")))
    if rule.regex is not None:
        out.append(("pattern", set_first("!!")))
    if rule.isin is not None:
        out.append(("allowed values", set_first("zzz")))
    if rule.ge is not None:
        out.append(("lower bound", set_first(rule.ge - 1)))
    if rule.in_range is not None:
        out.append(("range", set_first(rule.in_range[1] + 1)))
    if rule.unique:
        def duplicate(frame, column):
            frame.loc[frame.index[1], column] = frame.loc[frame.index[0], column]
        out.append(("uniqueness", duplicate))
    return out


CASES = [(table, column, what, breaker)
         for table, rules in COLUMN_RULES.items()
         for column, rule in rules.items()
         for what, breaker in _breakers(rule) if rule.dtype != "bool"]


def test_valid_tables_pass_both_checks():
    tables = load_tables()
    for name in COLUMN_RULES:
        assert not violated(name, tables[name]), name
        SCHEMAS[name].validate(tables[name])


@pytest.mark.parametrize("table, column, what, breaker", CASES, ids=[f"{t}.{c}:{w}" for t, c, w, _ in CASES])
def test_both_checks_catch_the_same_break(table, column, what, breaker):
    frame = load_tables()[table].copy()
    breaker(frame, column)
    assert violated(table, frame)
    with pytest.raises(pa.errors.SchemaErrors) as info:
        SCHEMAS[table].validate(frame, lazy=True)
    assert column in set(info.value.failure_cases["column"].dropna())


def test_a_missing_column_fails_both():
    frame = load_tables()["states"].drop(columns="name_zh")
    assert violated("states", frame)
    with pytest.raises(pa.errors.SchemaErrors):
        SCHEMAS["states"].validate(frame, lazy=True)


def test_loading_valid_data_does_not_import_pandera(tmp_path):
    import subprocess
    import sys

    code = "import sys, sco_research.datasets as d; d.load_tables(); print('pandera' in sys.modules)"
    env = {**__import__("os").environ, "SCO_RESEARCH_CACHE_DIR": str(tmp_path)}  # cold: full validation runs
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "False"
