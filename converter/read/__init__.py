"""Stage 1, read: source files and sidecars → decoded, cleaned lines and their segments."""
