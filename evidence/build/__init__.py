"""The build: find the documents, extract them in worker processes (or on a Dask cluster), write
them to the store, link them and work out the journeys (`run.py` drives the stages)."""

from .result import BuildResult
from .run import BuildOptions, build, doctor, find_files
from .writer import reads_worse

__all__ = ["BuildOptions", "BuildResult", "build", "doctor", "find_files", "reads_worse"]
