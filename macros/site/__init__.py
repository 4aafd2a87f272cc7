"""Stage 3, the site: what MkDocs is given (generated pages, page macros) and the hooks that give it."""
