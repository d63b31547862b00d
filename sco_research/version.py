"""The package's version, read from the installed metadata (one place for it)."""

from __future__ import annotations

from importlib import metadata

try:
    __version__ = metadata.version("sco-research")
except metadata.PackageNotFoundError:  # a checkout that was never installed
    __version__ = "0+unknown"
