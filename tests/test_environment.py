"""The three dependency lists (pyproject, environment.yml, requirements.lock) must agree.

A dependency in pyproject.toml is a range with a tested lower bound (``name>=1.2`` or ``name>=1.2,<2``), never
an exact pin, so the package can join an existing environment; environment.yml and requirements.lock pin one
version inside that range (the lock is what ``make install`` and CI install).
"""

import re
import tomllib

import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

from conftest import PROJECT


def _pyproject_specs() -> dict[str, SpecifierSet]:
    meta = tomllib.loads((PROJECT / "pyproject.toml").read_text())["project"]
    specs = list(meta["dependencies"])
    for name in ("lab", "test"):
        specs += meta["optional-dependencies"][name]
    return {Requirement(spec).name.lower(): Requirement(spec).specifier for spec in specs}


def test_every_dependency_is_a_range_with_a_lower_bound():
    meta = tomllib.loads((PROJECT / "pyproject.toml").read_text())["project"]
    version = r"[0-9][0-9A-Za-z.]*"
    optional = [spec for group in meta["optional-dependencies"].values() for spec in group]
    assert len(optional) >= 3
    for spec in [*meta["dependencies"], *optional]:
        assert re.fullmatch(rf"[A-Za-z0-9_.\[\]-]+>={version}(,<{version})?", spec), spec
    assert "<" not in meta["requires-python"], "no upper bound on Python"


def test_environment_yml_matches_pyproject():
    env = yaml.safe_load((PROJECT / "environment.yml").read_text())
    conda = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str) and "=" in dep and not dep.startswith("python="):
            name, version = dep.split("=")
            conda[name.lower()] = version
    specs = _pyproject_specs()
    assert set(conda) == set(specs)
    for name, version in conda.items():
        assert version in specs[name], f"{name}: environment.yml {version}, pyproject {specs[name]}"


def test_lock_file_agrees_with_pyproject():
    lock = {}
    for line in (PROJECT / "requirements.lock").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==")
            lock[name.lower().replace("_", "-")] = version
    for name, spec in _pyproject_specs().items():
        assert lock.get(name) is not None and lock[name] in spec, f"{name}: pyproject {spec}, lock {lock.get(name)}"
