"""What the hostile tests share: a tiny source and the CLI run that never shows a traceback."""

from __future__ import annotations

import subprocess
from pathlib import Path

from benchmarks.harness import gongbao

TINY = """自治区人民政府办公厅关于做好测试工作的通知

宁政办发〔2024〕7号

各市、县（区）人民政府：

一、总体要求

做好测试工作。

宁夏回族自治区人民政府办公厅

2024年1月2日
"""
"""One document, no front matter: the smallest source that builds a site."""
TIMEOUT_S = 120


def run(project: Path, *args: str, timeout: float = TIMEOUT_S) -> subprocess.CompletedProcess[str]:
    """`gongbao ARGS` in `project`; never a traceback, whatever the outcome."""
    result = gongbao(*args, cwd=project, timeout=timeout)
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    return result


def many_documents(count: int) -> str:
    """One issue (no front matter) of `count` tiny documents, each with its own 文号 and title."""
    parts = []
    for n in range(1, count + 1):
        parts.append(TINY.replace("宁政办发〔2024〕7号", f"宁政办发〔2024〕{n}号").replace("测试工作", f"第{n}项测试工作"))
    return "\n".join(parts)
