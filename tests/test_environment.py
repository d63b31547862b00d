"""The three dependency lists (pyproject, environment.yml, requirements.lock) must agree."""

import re
import tomllib

import yaml

from conftest import PROJECT


def _pyproject_pins() -> dict[str, str]:
    meta = tomllib.loads((PROJECT / "pyproject.toml").read_text())["project"]
    specs = list(meta["dependencies"])
    for name in ("lab", "test"):
        specs += meta["optional-dependencies"][name]
    pins = {}
    for spec in specs:
        name, version = spec.split("==")
        pins[name.lower()] = version
    return pins


def test_every_dependency_is_pinned_exactly():
    meta = tomllib.loads((PROJECT / "pyproject.toml").read_text())["project"]
    for spec in meta["dependencies"]:
        assert re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][0-9A-Za-z.]*", spec), spec


def test_environment_yml_matches_pyproject():
    env = yaml.safe_load((PROJECT / "environment.yml").read_text())
    conda = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str) and "=" in dep and not dep.startswith("python="):
            name, version = dep.split("=")
            conda[name.lower()] = version
    assert conda == _pyproject_pins()


def test_lock_file_agrees_with_pyproject():
    lock = {}
    for line in (PROJECT / "requirements.lock").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==")
            lock[name.lower().replace("_", "-")] = version
    for name, version in _pyproject_pins().items():
        assert lock.get(name) == version, f"{name}: pyproject {version}, lock {lock.get(name)}"
