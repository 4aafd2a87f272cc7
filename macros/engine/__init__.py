"""Stage 1, the engine: read YAML, check it against the format and across files, and hold the checked project."""
