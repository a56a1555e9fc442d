"""The site's metadata (evidence/site/metadata.yml) agrees with the vocabulary it describes."""

from __future__ import annotations

import re

import yaml

from evidence.site import METADATA_FILE
from extract.vocab import DOC_TYPES


def test_the_description_of_doc_type_lists_every_document_type():
    metadata = yaml.safe_load(METADATA_FILE.read_text())
    described = metadata["databases"]["evidence"]["tables"]["documents"]["columns"]["doc_type"]
    assert re.findall(r"[a-z_]+(?=,| or |$)", described) == list(DOC_TYPES)
