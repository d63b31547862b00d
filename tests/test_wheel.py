"""The wheel works from an empty folder: data, notebooks and the report set ship inside the package."""

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """Build the wheel, install it into a fresh virtual environment; its dependencies come from this one."""
    base = tmp_path_factory.mktemp("wheel")
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(base / "dist"), str(PROJECT)], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    wheel = next((base / "dist").glob("sco_research-*.whl"))
    env_dir = base / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    python = env_dir / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    # The dependencies (not sco_research itself: .pth lines add folders, they do not run editable finders).
    Path(purelib, "_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q",
                           str(wheel)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    empty = base / "empty"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCO_RESEARCH_")}
    return env_dir, empty, env


#: What the installed package is asked, by check: one line of Python each, run in one interpreter (each fresh
#: one costs seconds of imports).
_CHECKS = {
    "data": ("import sco_research as s; print(s.__file__); print(s.members(on='2024-07-04')); "
             "print(len(s.load_geometries())); print(s.validate()); "
             "from sco_research.data import data_version; print(data_version())"),
    "site": ("import pandas as pd; from sco_research.reports.site import TEMPLATE_DIR, front_page_html; "
             "from sco_research.reports.display import Table; print(TEMPLATE_DIR); "
             "print('<table class=\"data\">' in Table(pd.DataFrame({'year': [2001]}))._repr_html_()); "
             "print('.card {' in front_page_html({'jobs': [], 'started': '2026-11-27T00:00:00+00:00'}))"),
    # the command's `notebooks` copy, run by its entry point in this interpreter (the console script: `render --list`)
    "copy": "from sco_research.cli import main; main(['notebooks', 'mine'], standalone_mode=False); print('copied')",
}


@pytest.fixture(scope="module")
def printed(installed):
    """The lines each check of :data:`_CHECKS` printed in the installed environment, from an empty folder."""
    env_dir, empty, env = installed
    code = "\n".join(f"print('--- {name}'); {source}" for name, source in _CHECKS.items())
    out = subprocess.run([str(env_dir / "bin" / "python"), "-c", code], cwd=empty, env=env, capture_output=True,
                         text=True)
    assert out.returncode == 0, out.stderr
    sections: dict[str, list[str]] = {}
    for line in out.stdout.splitlines():
        if line.startswith("--- ") and line[4:] in _CHECKS:
            sections[line[4:]] = []
        else:
            sections[list(sections)[-1]].append(line)
    assert list(sections) == list(_CHECKS), out.stdout
    return sections


def test_the_installed_package_reads_its_own_data(installed, printed):
    env_dir, _, _ = installed
    lines = printed["data"]
    assert lines[0].startswith(str(env_dir)), lines[0]
    assert lines[1] == "['BLR', 'CHN', 'IND', 'IRN', 'KAZ', 'KGZ', 'PAK', 'RUS', 'TJK', 'UZB']"
    assert int(lines[2]) > 200 and lines[3] == "[]"
    # the data's version, read from the changelog the wheel must ship (export and render carry it)
    from sco_research.data import data_version

    assert lines[4] == data_version(), lines[4]


def test_the_installed_command_lists_and_copies(installed, printed):
    env_dir, empty, env = installed
    command = str(env_dir / "bin" / "sco-research")
    listed = subprocess.run([command, "render", "--list"], cwd=empty, env=env, capture_output=True, text=True)
    assert listed.returncode == 0 and "00_dataset_tour" in listed.stdout and "teaching/trade_and_power" in listed.stdout
    assert printed["copy"][-1] == "copied"
    assert (empty / "mine" / "teaching" / "how_the_sco_grew.ipynb").is_file()
    # Rendering from the wheel needs nbconvert's templates in the environment's share/jupyter folder, which this
    # borrowed-dependencies environment lacks; the render itself is covered in a checkout by tests/test_render.py.


def test_the_installed_package_ships_the_site_templates(installed, printed):
    env_dir, _, _ = installed
    lines = printed["site"]
    assert lines[1:] == ["True", "True"]
    assert lines[0].startswith(str(env_dir)) and (Path(lines[0]) / "sco_site" / "index.html.j2").is_file()
