"""The one atomic writer (sco_research/files.py): permissions as the user's umask gives, all or nothing."""

import os
from pathlib import Path

import pytest

from sco_research.files import atomic_write, replace_folder


def _folder(root: Path, text: str) -> Path:
    built = root / f"built-{text}"
    built.mkdir(mode=0o700)
    (built / "page.html").write_text(text)
    return built


def test_a_failed_replacement_keeps_the_old_report_and_reports_its_own_error(tmp_path, monkeypatch):
    final = replace_folder(_folder(tmp_path, "old"), tmp_path / "out" / "report", aside_in=tmp_path)
    new = _folder(tmp_path, "new")
    rename = Path.rename

    def failing(self, target):
        if self == new:
            raise OSError(28, "No space left on device")
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", failing)
    with pytest.raises(OSError, match="No space left on device"):
        replace_folder(new, final, aside_in=tmp_path)
    assert (final / "page.html").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["built-new", "out"]  # nothing left aside


def test_a_failed_write_leaves_the_old_file_and_no_partial_one(tmp_path):
    target = tmp_path / "manifest.json"
    target.write_text("old")

    def broken(tmp):
        Path(tmp).write_text("half")
        raise RuntimeError("disk gone")

    with pytest.raises(RuntimeError, match="disk gone"):
        atomic_write(target, broken)
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["manifest.json"]


def test_files_and_folders_get_the_permissions_of_the_umask(tmp_path):
    previous = os.umask(0o027)
    try:
        written = atomic_write(tmp_path / "a.txt", lambda tmp: Path(tmp).write_text("x"))
        folder = replace_folder(_folder(tmp_path, "one"), tmp_path / "report", aside_in=tmp_path)
    finally:
        os.umask(previous)
    assert oct(written.stat().st_mode & 0o777) == "0o640" and oct(folder.stat().st_mode & 0o777) == "0o750"
