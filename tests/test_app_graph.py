"""The one-way app graph of DESIGN.md section 3, checked on the imports of every module of the apps.

org -> performance -> diagnosis, talent, enablement -> rollout: an app imports only from apps before it (the
middle three not from each other), and no app imports another app's views (shared page plumbing is in org.ui).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LEVEL = {"org": 0, "performance": 1, "diagnosis": 2, "talent": 2, "enablement": 2, "rollout": 3}


def _imports(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                yield path, node.lineno, node.module
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    yield path, node.lineno, alias.name


def _is_views(module: str) -> bool:
    return any(part == "views" or part.endswith("_views") for part in module.split(".")[1:])


@pytest.mark.parametrize("app", list(LEVEL))
def test_imports_point_one_way_and_never_at_another_apps_views(app):
    wrong = []
    for path, line, module in _imports(app):
        other = module.split(".")[0]
        if other in LEVEL and other != app and (LEVEL[other] >= LEVEL[app] or _is_views(module)):
            wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert wrong == []
