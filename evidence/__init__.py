"""The evidence store, the build that fills it, and the command line."""
