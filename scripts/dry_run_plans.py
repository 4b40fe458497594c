"""Print what `studybot run --dry-run` plans at instants across the seed term.

The example study is replayed on the fake GitHub of the tests (real git underneath) and
run for real after each dry run, so each instant sees what the runs before it wrote. Run it
in two checkouts and diff the outputs to show a change planned the same writes:

    python scripts/dry_run_plans.py > /tmp/after.txt
    (cd ../other-checkout && python scripts/dry_run_plans.py) > /tmp/before.txt
    diff /tmp/before.txt /tmp/after.txt
"""

from __future__ import annotations

import pathlib
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "flows")]

from helpers import kst  # noqa: E402
from test_cheating import link, make_study  # noqa: E402

INSTANTS = [kst(2022, 4, 6, 10), kst(2022, 4, 12, 19), kst(2022, 4, 13, 0, 5), kst(2022, 4, 13, 12, 5),
            kst(2022, 4, 27, 10), kst(2022, 5, 4, 0, 5), kst(2022, 5, 4, 12, 5)]
# Before the run at INSTANTS[i]: (member, pushed at, week, link).
EDITS = {1: [("장서진", kst(2022, 4, 10, 21), 1, "https://a.example/1"), ("한현경", kst(2022, 4, 13, 0, 2), 1, "https://h.example/1")],
         4: [("구미진", kst(2022, 4, 30, 9), 2, "https://m.example/2")]}


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        study = make_study(pathlib.Path(folder))
        for index, at in enumerate(INSTANTS):
            for member, when, week, url in EDITS.get(index, []):
                study.edit(member, when, link(week, member, url))
            lines: list[str] = []
            study.run(at, dry_run=True, log=lines.append)
            print(f"== {at:%m-%d %H:%M}")
            print("\n".join(lines))
            study.run(at)
    return 0


if __name__ == "__main__":
    sys.exit(main())
