"""The built-in parsers. Each module registers its functions with `extract.registry.parser`;
every module in this package is imported when parsers are first asked for."""
