"""Stage 2, the renderers: a checked project → HTML pieces and files (trees, flows, roles, templates, plan, zip)."""
