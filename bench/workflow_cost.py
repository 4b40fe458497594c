"""What the example workflow costs a study: runs and billed minutes a month, and install seconds.

    python bench/workflow_cost.py [--install] [--repeat K]

For a term of the seed config (config/study.yml), counts the scheduled runs of
examples/study-workflow.yml (its cron entries, in their `timezone:`) against an hourly
schedule, and the minutes GitHub bills for them: each job is billed in whole minutes, rounded
up, and a quiet run takes the action's install seconds plus the run's own seconds.

--install measures the install seconds on this machine, each into a fresh venv with empty
caches, as a new runner starts: *before* is the action's former step (`python -m venv`, then
`pip install` of the package, resolving and fetching every dependency); *after* is the install
step of action.yml itself, run as written (uv pinned by hash, the hashed lock, studybot with
--no-deps). Without --install the figures of the last measurement below are used, and the
output says so.

The run seconds are a proxy: `studybot report` on the bundled demo repository, timed as a whole
process. A real quiet `studybot run` also makes about three API requests (bench/api.py).
Push and comment runs are left out: they are the same under both schedules.

Output: one JSON line on stdout; progress on stderr.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zoneinfo
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from studybot.core.config import lay_out  # noqa: E402
from studybot.shell.configfile import load_config  # noqa: E402
from studybot.shell.demo import build_example  # noqa: E402

EXAMPLE = ROOT / "examples" / "study-workflow.yml"
ACTION = ROOT / "action.yml"
CONFIG = ROOT / "config" / "study.yml"
HOURLY = [{"cron": "7 * * * *"}]
DAYS_PER_MONTH = 365.25 / 12

# The last --install measurement (2 cores, this project's package index, cold caches).
MEASURED_INSTALL_S = {"before": 72.2, "after": 14.0}

# The action's former install step, kept here as the baseline.
BEFORE_SCRIPT = """
set -euo pipefail
"$STUDYBOT_PYTHON" -m venv "$RUNNER_TEMP/studybot-venv"
"$RUNNER_TEMP/studybot-venv/bin/python" -m pip install --quiet --disable-pip-version-check "$GITHUB_ACTION_PATH"
echo "bin=$RUNNER_TEMP/studybot-venv/bin" >> "$GITHUB_OUTPUT"
"""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- schedules


def field_matches(field: str, value: int) -> bool:
    """One cron field (`*`, a number, or a comma list of them) against a value."""
    return field == "*" or value in {int(part) for part in field.split(",")}


def fires(cron: str, local: dt.datetime) -> bool:
    minute, hour, day, month, weekday = cron.split()
    return (
        field_matches(minute, local.minute)
        and field_matches(hour, local.hour)
        and field_matches(day, local.day)
        and field_matches(month, local.month)
        and field_matches(weekday, (local.weekday() + 1) % 7)  # cron counts from Sunday
    )


def count_runs(schedule: list[dict[str, str]], start: dt.datetime, end: dt.datetime) -> int:
    """Scheduled runs between two UTC instants, each entry read in its own time zone."""
    runs = 0
    for entry in schedule:
        zone = zoneinfo.ZoneInfo(entry.get("timezone", "UTC"))
        minute = int(entry["cron"].split()[0])
        instant = start.replace(minute=minute, second=0, microsecond=0)
        while instant < end:
            if instant >= start and fires(entry["cron"], instant.astimezone(zone)):
                runs += 1
            instant += dt.timedelta(hours=1)
    return runs


def term() -> tuple[dt.datetime, dt.datetime, int]:
    """The seed study's term in UTC: the first Q&A issue opens a week before the first deadline;
    the last late window closes after the last graded deadline. Also the graded weeks."""
    config = load_config(CONFIG)
    zone = zoneinfo.ZoneInfo(config.study.timezone)
    deadlines = [wall for wall, pause in lay_out(config.schedule) if pause is None][: config.schedule.weeks]
    start = (deadlines[0] - dt.timedelta(weeks=1)).replace(tzinfo=zone)
    end = (deadlines[-1] + config.schedule.late_window).replace(tzinfo=zone)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC), len(deadlines)


# ---------------------------------------------------------------- seconds


def base_python() -> str:
    """The interpreter under this venv, standing in for the one setup-python provides."""
    return getattr(sys, "_base_executable", sys.executable)


def time_install(script: str) -> float:
    """Wall seconds of an install script in a fresh runner temp dir with empty caches."""
    with tempfile.TemporaryDirectory(prefix="studybot-install-") as temp:
        env = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}
        env |= {
            "RUNNER_TEMP": temp,
            "GITHUB_ACTION_PATH": str(ROOT),
            "GITHUB_OUTPUT": str(Path(temp) / "output"),
            "STUDYBOT_PYTHON": base_python(),
            "PIP_CACHE_DIR": str(Path(temp) / "pip-cache"),
            "UV_CACHE_DIR": str(Path(temp) / "uv-cache"),
            "PIP_ROOT_USER_ACTION": "ignore",
        }
        started = time.perf_counter()
        subprocess.run(["bash", "-c", script], env=env, check=True, cwd=temp, stderr=subprocess.DEVNULL)
        seconds = time.perf_counter() - started
        output = dict(line.split("=", 1) for line in (Path(temp) / "output").read_text().split())
        probe = subprocess.run([str(Path(output["bin"]) / "studybot"), "--help"], capture_output=True)
        if probe.returncode != 0:
            raise SystemExit("the installed studybot does not start")
        return seconds


def action_install_script() -> str:
    (step,) = [step for step in yaml.safe_load(ACTION.read_text("utf-8"))["runs"]["steps"] if step.get("id") == "install"]
    return str(step["run"])


def time_quiet_run(repeat: int) -> float:
    """Median wall seconds of `studybot report` on the demo repository, as a whole process."""
    studybot = shutil.which("studybot") or "studybot"
    with tempfile.TemporaryDirectory(prefix="studybot-demo-") as temp:
        _, _, now = build_example(Path(temp))
        command = [studybot, "report", "--repo-path", temp, "--now", now.isoformat(), "--format", "json"]
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            times.append(time.perf_counter() - started)
    return statistics.median(times)


# ---------------------------------------------------------------- figures


def costs(runs: int, days: float, job_seconds: float) -> dict[str, float]:
    per_run = math.ceil(job_seconds / 60)
    return {
        "runs_in_term": runs,
        "runs_per_month": round(runs / days * DAYS_PER_MONTH, 1),
        "billed_minutes_per_run": per_run,
        "billed_minutes_per_month": round(runs * per_run / days * DAYS_PER_MONTH, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--install", action="store_true", help="measure the install seconds (about a minute, uses the network)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of studybot report (default: 3)")
    args = parser.parse_args(argv)

    if args.install:
        log("timing the former install (venv + pip install .) ...")
        before = time_install(BEFORE_SCRIPT)
        log("timing action.yml's install step (uv, hashed lock) ...")
        after = time_install(action_install_script())
        install = {"before": round(before, 1), "after": round(after, 1), "source": "measured now"}
    else:
        install = {**MEASURED_INSTALL_S, "source": "last --install measurement (bench/workflow_cost.py)"}
    log("timing studybot report on the demo repository ...")
    run_s = time_quiet_run(args.repeat)

    start, end, weeks = term()
    days = (end - start).total_seconds() / 86400
    schedule = yaml.safe_load(EXAMPLE.read_text("utf-8"))
    triggers = schedule.get("on", schedule.get(True))
    derived = triggers["schedule"]
    result: dict[str, Any] = {
        "bench": "workflow_cost",
        "term": {"graded_weeks": weeks, "from_utc": start.isoformat(), "to_utc": end.isoformat(), "days": round(days, 1)},
        "install_s": install,
        "quiet_run_s": round(run_s, 2),
        "quiet_run_proxy": "studybot report on the demo repository (no API requests)",
        "job_s": {"before": round(install["before"] + run_s, 1), "after": round(install["after"] + run_s, 1)},
        "derived_schedule": [entry["cron"] + " " + entry.get("timezone", "UTC") for entry in derived],
        # The hourly workflow as it was, with its former install; the derived one with the new.
        "hourly_before": costs(count_runs(HOURLY, start, end), days, install["before"] + run_s),
        "hourly_after": costs(count_runs(HOURLY, start, end), days, install["after"] + run_s),
        "derived_after": costs(count_runs(derived, start, end), days, install["after"] + run_s),
        "not_counted": "push and issue_comment runs (the same under both schedules)",
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
