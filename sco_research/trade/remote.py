"""Compatibility name: the online loaders moved to :mod:`sco_research.data.remote`."""

from ..data.remote import USER_AGENT, fetch, load_remote
from ..errors import RemoteSourceError

__all__ = ["USER_AGENT", "RemoteSourceError", "fetch", "load_remote"]
