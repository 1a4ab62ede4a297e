"""The pages of the site built from sources/ that the browser tests look at, by name (site-relative URL)."""

READER_PAGES = {
    "home": "",
    "issue": "2023/06/",
    "long-document": "2021/04/nzbf-2021-3/",
    "replication-table": "2024/x1/nzbf-2023-54/",
    "appointments": "browse/appointments/",
    "rules": "2024/x1/nzf-2023-35/",
}
"""Screenshotted at desktop and phone sizes (test_reader) and checked with axe (test_a11y)."""
