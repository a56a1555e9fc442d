"""The site: Datasette on the store with the project's plugin (`plugin.py`, the `datasette`
entry point `evidence`), its routes (`views/`), templates (`templates/`) and titles, facets,
canned queries and dashboards (`metadata.yml`)."""

from pathlib import Path

METADATA_FILE = Path(__file__).resolve().parent / "metadata.yml"
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
