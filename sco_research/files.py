"""Writing files and folders all or nothing, with the permissions their reader expects.

One place for the package's atomic writes: figures, report folders, the manifest and index, the README's
figures, committed notebooks and the snapshot cache all go through it. A reader (a browser, a web server
running as another user, a second process) sees either the old file or the new one, never half of one, and
the new one is readable as any file the user creates (``0o666 & ~umask``; folders ``0o777 & ~umask``), not
private as the temporary files and folders of :mod:`tempfile` are (0600 and 0700).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path

__all__ = ["atomic_write", "write_text_atomic", "copy_atomic", "replace_folder", "current_umask"]


def current_umask() -> int:
    """The process's umask, read without changing it (Linux); elsewhere set and restored at once.

    The fallback is not thread-safe: a file another thread creates in between gets mode 022's permissions.

    Examples
    --------
    >>> 0 <= current_umask() <= 0o777
    True
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write(target, write: Callable[[str], object]) -> Path:
    """Write ``target`` through ``write(temporary_path)``, then move it into place in one step.

    The temporary file sits beside the target (same file system, so the move is atomic) and is
    removed if ``write`` fails; the target keeps its old content until the move.

    Examples
    --------
    >>> folder = Path(tempfile.mkdtemp())
    >>> atomic_write(folder / "note.txt", lambda tmp: Path(tmp).write_text("hello")).read_text()
    'hello'
    >>> oct((folder / "note.txt").stat().st_mode & 0o777) == oct(0o666 & ~current_umask())
    True
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    # The target's suffix kept: some writers (ffmpeg) choose the format by it.
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=target.suffix)
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~current_umask())  # mkstemp creates 0600
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def write_text_atomic(target, text: str) -> Path:
    """Write UTF-8 text to ``target`` atomically (:func:`atomic_write`).

    Examples
    --------
    >>> write_text_atomic(Path(tempfile.mkdtemp()) / "a.json", "{}\\n").read_text()
    '{}\\n'
    """
    return atomic_write(target, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def copy_atomic(source, target) -> Path:
    """Copy the file ``source`` to ``target`` atomically (:func:`atomic_write`)."""
    return atomic_write(target, lambda tmp: shutil.copyfile(source, tmp))


def replace_folder(built, final, *, aside_in) -> Path:
    """Move the finished folder ``built`` to ``final``, replacing any folder there.

    ``built`` is given the usual folder permissions first (:func:`tempfile.mkdtemp` makes it 0700, which a
    web server running as another user could not read). An old ``final`` is renamed into ``aside_in`` and
    removed only after the new folder is in place, so ``final`` is missing for the time of one rename, not
    for the time of deleting the old folder. ``aside_in`` must be on the same file system (a folder that the
    caller cleans up if the process dies between the two renames).

    Examples
    --------
    >>> root = Path(tempfile.mkdtemp())
    >>> for version in ("old", "new"):
    ...     built = Path(tempfile.mkdtemp(dir=root))
    ...     _ = (built / "page.html").write_text(version)
    ...     _ = replace_folder(built, root / "report", aside_in=root)
    >>> (root / "report" / "page.html").read_text(), sorted(p.name for p in root.iterdir())
    ('new', ['report'])
    """
    built, final = Path(built), Path(final)
    os.chmod(built, 0o777 & ~current_umask())
    final.parent.mkdir(parents=True, exist_ok=True)
    if not final.exists():
        built.rename(final)
        return final
    aside = Path(aside_in) / f".replaced-{final.name}-{uuid.uuid4().hex[:12]}"
    final.rename(aside)
    try:
        built.rename(final)
    except BaseException:
        try:
            aside.rename(final)  # put the old folder back: a failed replacement keeps the old report
        except OSError:
            pass  # the error to report is the replacement's, not this one
        raise
    shutil.rmtree(aside, ignore_errors=True)
    return final
