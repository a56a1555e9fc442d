"""The store: one SQLite file written with sqlite-utils, the only place that writes SQL
(`evidence/store/schema.sql` creates its tables)."""

from .db import Pending, Prepared, Store, damaged_file, is_evidence_store, now, to_row

__all__ = ["Pending", "Prepared", "Store", "damaged_file", "is_evidence_store", "now", "to_row"]
