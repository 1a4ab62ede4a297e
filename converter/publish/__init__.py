"""Stage 7, publish: the only code that touches the disk or starts a process (write, MkDocs, search index)."""
