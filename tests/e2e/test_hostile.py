"""Source text full of script and markup never runs in a real browser."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from playwright.sync_api import Dialog, Page


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_no_dialog_opens_on_a_page_built_from_hostile_text(page: Page, hostile_site: Path) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(hostile_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    try:
        url = next(hostile_site.glob("2024/*/nzbf-2024-99/index.html")).parent.relative_to(hostile_site).as_posix()
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/{url}/")
        page.wait_for_load_state("load")
        page.locator("text=<script>alert(1)</script>").first.wait_for()
        page.wait_for_timeout(300)
    finally:
        server.shutdown()
    assert dialogs == []
