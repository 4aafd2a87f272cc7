"""The command line (``python -m macros``): the engine and the renderers, without MkDocs."""
