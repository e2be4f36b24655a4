"""Where HQ keeps its state: one interface, in memory (one process) or in Redis (a cluster)."""

from __future__ import annotations

from hero_hq.store.base import Deliver, Store, StoreUnavailable
from hero_hq.store.memory import MemoryStore

__all__ = ["Deliver", "MemoryStore", "Store", "StoreUnavailable"]
