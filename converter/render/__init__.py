"""Stage 6, render: the linked corpus → the text of every generated file (pages, JSON, feed, report)."""
