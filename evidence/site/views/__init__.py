"""The site's own routes, a module each (registered by `evidence/site/plugin.py`)."""
