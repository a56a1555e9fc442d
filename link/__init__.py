"""The linker: records in, scored and explained links out. No database."""
