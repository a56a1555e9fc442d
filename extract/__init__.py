"""Extraction: documents in, typed records out. No database, no global state."""

# Bump when a change to extraction changes what is extracted: documents extracted by an
# older version are extracted again on the next build, even when their bytes are unchanged.
EXTRACTOR_VERSION = "0.6.1"
