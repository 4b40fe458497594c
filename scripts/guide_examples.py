"""Keep the guides' examples true: each marked block in docs/ko/README.md and docs/en/README.md is real output.

A block is written as

    <!-- generated:NAME -->
    ```text
    …
    ```
    <!-- /generated -->

and NAME is one of ``EXAMPLES`` below: each runs the real command line on a throw-away copy of
the example study (the seed replay for ``init``) in the guide's language. Run from the
repository root: ``python scripts/guide_examples.py`` rewrites the blocks; ``--check`` fails
when one is out of date instead (CI runs that).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from studybot.cli import main
from studybot.shell.demo import example_file
from studybot.shell.replay import build_seed_replay

GUIDES = {"ko": Path("docs/ko/README.md"), "en": Path("docs/en/README.md")}
BLOCK = re.compile(r"(<!-- generated:(?P<name>[a-z-]+) -->\n```text\n)(?P<body>.*?)(```\n<!-- /generated -->)", re.DOTALL)


@contextlib.contextmanager
def _inside(path: Path) -> Iterator[None]:
    """Run with ``path`` as the current folder, so printed paths read as a leader sees them."""
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def _run(*argv: str, environ: dict[str, str] | None = None) -> str:
    out = io.StringIO()
    main(list(argv), out=out, environ=environ or {})
    return out.getvalue()


def _example_study(folder: Path, language: str) -> Path:
    """The example study's README and config, in ``language``."""
    (folder / "config").mkdir(parents=True)
    config = example_file("study.yml")
    if language == "en":
        config = config.replace("language: ko ", "language: en ")
    (folder / "config" / "study.yml").write_text(config, encoding="utf-8")
    (folder / "README.md").write_text(example_file("README.md"), encoding="utf-8")
    return folder


def init_example(language: str) -> str:
    """``studybot init --yes`` on the seed replay: the leader, logins, rules with their lines."""
    with tempfile.TemporaryDirectory() as temp:
        repo = Path(temp) / "Study-MLOps"
        build_seed_replay(repo)
        with _inside(repo):
            return "$ studybot init --yes\n" + _run("init", "--yes", "--lang", language)


def check_example(language: str) -> str:
    with tempfile.TemporaryDirectory() as temp, _inside(_example_study(Path(temp) / "study", language)):
        return "$ studybot check\n" + _run("check")


def calendar_example(language: str) -> str:
    with tempfile.TemporaryDirectory() as temp, _inside(_example_study(Path(temp) / "study", language)):
        return "$ studybot calendar\n" + _run("calendar")


def no_config_example(language: str) -> str:
    """What a newcomer sees running ``check`` before ``init``."""
    with tempfile.TemporaryDirectory() as temp:
        readme = "# 스터디\n" if language == "ko" else "# Study\n"
        (Path(temp) / "README.md").write_text(readme, encoding="utf-8")
        with _inside(Path(temp)):
            return "$ studybot check\n" + _run("check", environ={"LANG": "C.UTF-8"})


EXAMPLES: dict[str, Callable[[str], str]] = {
    "init": init_example,
    "check": check_example,
    "calendar": calendar_example,
    "no-config": no_config_example,
}


def render(text: str, language: str) -> str:
    """``text`` with every marked block replaced by its example's real output."""

    def fill(match: re.Match[str]) -> str:
        name = match.group("name")
        if name not in EXAMPLES:
            raise SystemExit(f"unknown example {name!r}; known: {', '.join(EXAMPLES)}")
        body = EXAMPLES[name](language)
        return match.group(1) + body.rstrip("\n") + "\n" + match.group(4)

    return BLOCK.sub(fill, text)


def main_(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when a guide's example is out of date")
    arguments = parser.parse_args(argv)
    stale = []
    for language, path in GUIDES.items():
        text = path.read_text(encoding="utf-8")
        fresh = render(text, language)
        if fresh == text:
            continue
        if arguments.check:
            stale.append(str(path))
        else:
            path.write_text(fresh, encoding="utf-8")
            print(f"wrote {path}")
    if stale:
        print(f"out of date: {', '.join(stale)}; run `python scripts/guide_examples.py`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main_(sys.argv[1:]))
