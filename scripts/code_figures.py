"""Figures about the code's shape: decide's length and exits, the longest parameter lists.

    python scripts/code_figures.py [CHECKOUT]     # default: this checkout

Run it in two checkouts to compare a refactor's before and after.
"""

from __future__ import annotations

import ast
import pathlib
import sys


def function(root: pathlib.Path, path: str, name: str) -> ast.FunctionDef:
    tree = ast.parse((root / path).read_text(encoding="utf-8"))
    return next(node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.name == name)


def parameters(node: ast.FunctionDef) -> int:
    arguments = node.args
    count = len(arguments.posonlyargs) + len(arguments.args) + len(arguments.kwonlyargs)
    count += bool(arguments.vararg) + bool(arguments.kwarg)
    return count - (bool(arguments.args) and arguments.args[0].arg in ("self", "cls"))


def main(argv: list[str]) -> int:
    root = pathlib.Path(argv[0] if argv else pathlib.Path(__file__).resolve().parent.parent)
    decide = function(root, "studybot/core/decide.py", "decide")
    returns = sum(isinstance(node, ast.Return) for node in ast.walk(decide))
    assert decide.end_lineno is not None
    print(f"decide: {decide.end_lineno - decide.lineno + 1} lines, {returns} returns")
    lists = []
    for path in sorted((root / "studybot").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                lists.append((parameters(node), f"{path.relative_to(root)}:{node.name}"))
    for count, where in sorted(lists, reverse=True)[:5]:
        print(f"{count:3d} parameters  {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
