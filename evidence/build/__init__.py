"""The build: find the documents, extract them in worker processes (or on a Dask cluster), write
them to the store, link them and work out the journeys (`run.py` drives the stages)."""

from .run import build, doctor, find_files, reads_worse

__all__ = ["build", "doctor", "find_files", "reads_worse"]
