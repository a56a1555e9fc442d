"""The store: one SQLite file written with sqlite-utils, the only place that writes SQL
(`evidence/store/schema.sql` creates its tables)."""

from .checks import damaged_file
from .db import Store, is_evidence_store
from .rows import Pending, Prepared, now, to_row

__all__ = ["Pending", "Prepared", "Store", "damaged_file", "is_evidence_store", "now", "to_row"]
