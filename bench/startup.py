"""Benchmark: how fast studybot starts.

    python bench/startup.py [--repeat N]

Measures, each over N fresh processes (default 10):
  * the import time of ``studybot.cli`` from ``python -X importtime -c "import studybot.cli"``
    (the cumulative microseconds of its line, and the heaviest modules it pulls in);
  * the wall time of ``studybot --help`` and of ``studybot check`` on the seed config, as whole
    processes, Python start-up included (target, SPEC §11 and the API budget: ``--help`` under
    0.3 s);
  * which heavy libraries those imports load (PyGithub must not be among them).

Prints one JSON line on stdout. A benchmark, not a test: it asserts nothing about time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from history import studybot_command

ROOT = Path(__file__).resolve().parent.parent
SEED_CONFIG = ROOT / "config" / "study.yml"
HEAVY = ("github", "requests", "urllib3", "pydantic", "yaml", "markdown_it", "dateutil", "pytz")
LINE = re.compile(r"^import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s+)(\S+)\s*$")


def import_profile() -> tuple[int, int, list[tuple[str, int]]]:
    """One ``-X importtime`` run: (studybot.cli cumulative µs, all imports µs, heaviest children)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import studybot.cli"],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )
    rows = []
    for line in done.stderr.splitlines():
        match = LINE.match(line)
        if match:
            rows.append((int(match[1]), int(match[2]), (len(match[3]) - 1) // 2, match[4]))
    cli = next((row for row in rows if row[3] == "studybot.cli"), None)
    if cli is None:
        raise SystemExit("python -X importtime printed no line for studybot.cli")
    total = sum(row[1] for row in rows if row[2] == 0)
    # The modules imported while studybot.cli loaded are the rows just before it, deeper than it.
    position = rows.index(cli)
    start = position
    while start > 0 and rows[start - 1][2] > cli[2]:
        start -= 1
    children = sorted(((row[3], row[1]) for row in rows[start:position] if row[2] == cli[2] + 1),
                      key=lambda item: -item[1])
    return cli[1], total, children[:5]


def wall(argv: list[str], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, check=False, cwd=ROOT)
        times.append(time.perf_counter() - began)
        if done.returncode != 0:
            sys.stderr.write(done.stderr.decode("utf-8", "replace"))
            raise SystemExit(f"{' '.join(argv)} exited with {done.returncode}")
    return times


def loaded(code: str) -> list[str]:
    """The heavy top-level packages in sys.modules after running ``code`` in a fresh process."""
    probe = f"{code}\nimport sys\nprint(' '.join(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    return done.stdout.split()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=10, help="fresh processes per figure (default: 10)")
    arguments = parser.parse_args(argv)
    if arguments.repeat < 1:
        parser.error("--repeat must be at least 1")
    command = studybot_command()
    wall([*command, "--help"], 1)  # warm the file cache; not counted

    profiles = [import_profile() for _ in range(arguments.repeat)]
    best = min(profiles, key=lambda profile: profile[0])
    help_s = wall([*command, "--help"], arguments.repeat)
    check_s = wall([*command, "check", "--config", str(SEED_CONFIG)], arguments.repeat)
    quiet = "import io\nfrom studybot.cli import main\nmain(['check', '--config', %r], out=io.StringIO(), environ={})"
    figures = {
        "bench": "startup",
        "import_cli_ms_min": round(best[0] / 1000, 1),
        "import_cli_ms_median": round(statistics.median(p[0] for p in profiles) / 1000, 1),
        "import_all_ms_min": round(min(p[1] for p in profiles) / 1000, 1),
        "import_cli_heaviest_ms": {name: round(us / 1000, 1) for name, us in best[2]},
        "help_s_min": round(min(help_s), 3),
        "help_s_median": round(statistics.median(help_s), 3),
        "check_s_min": round(min(check_s), 3),
        "check_s_median": round(statistics.median(check_s), 3),
        "repeat": arguments.repeat,
        "heavy_after_import": loaded("import studybot.cli"),
        "heavy_after_check": loaded(quiet % str(SEED_CONFIG)),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
