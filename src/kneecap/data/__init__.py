"""Data shipped with kneecap (read with importlib.resources, so it works when installed).

``exercises/``: the exercise catalog, one TOML file per exercise (docs/catalog.md).
"""
