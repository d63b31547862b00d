"""The README's Python examples name only what the package has: every import resolves, every ``sco.<name>`` exists.

The examples are not run here (one of them fetches from the IMF online, and drawing them all would cost seconds
for what the notebooks and the plotting tests already run); a renamed or moved function is what breaks them.
"""

import ast
import importlib
import importlib.util
import re

import pytest

from conftest import PROJECT

BLOCKS = re.findall(r"```python\n(.*?)```", (PROJECT / "README.md").read_text(encoding="utf-8"), re.S)


def test_the_readme_has_python_examples():
    assert len(BLOCKS) >= 4


@pytest.mark.parametrize("number", range(len(BLOCKS)), ids=lambda n: f"block-{n + 1}")
def test_every_name_a_readme_example_uses_exists(number):
    tree = ast.parse(BLOCKS[number])
    missing = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            try:
                module = importlib.import_module(node.module)
            except ImportError:
                missing.append(f"module {node.module}")
                continue
            missing += [f"{node.module}.{a.name}" for a in node.names
                        if not hasattr(module, a.name) and importlib.util.find_spec(f"{node.module}.{a.name}") is None]
        elif isinstance(node, ast.Import):
            missing += [f"module {a.name}" for a in node.names if importlib.util.find_spec(a.name) is None]
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "sco":
            if not hasattr(importlib.import_module("sco_research"), node.attr):
                missing.append(f"sco_research.{node.attr}")
    assert missing == [], f"README.md, Python example {number + 1}"
