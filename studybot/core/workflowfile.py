"""The study's GitHub Actions workflow, rendered from its config.

The schedule follows the study's own clock: a run just after the reminder time, the deadline
and the end of the late window, each a few minutes past the hour (GitHub delays or drops runs
at :00 when busy), plus one daily catch-up for anything a dropped run missed. GitHub's
``timezone:`` key keeps them at the same local time across daylight-saving changes.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from dataclasses import dataclass

from studybot.core.config import StudyConfig
from studybot.core.messages import Messages

OFF_PEAK = dt.timedelta(minutes=7)
DAILY_AT = dt.time(9, 7)
CHECKOUT = "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2"
ACTION = "OWNER/studybot@v1"


class Purpose(enum.StrEnum):
    REMINDER = "reminder"
    DEADLINE = "deadline"
    CUTOFF = "cutoff"
    DAILY = "daily"


@dataclass(frozen=True)
class CronSchedule:
    """One ``schedule`` entry: local weekday (Monday 0; None for daily) and time, as a cron line."""

    purpose: Purpose
    weekday: int | None
    time: dt.time

    @property
    def cron(self) -> str:
        # cron counts weekdays from Sunday = 0; Python from Monday = 0.
        day = "*" if self.weekday is None else str((self.weekday + 1) % 7)
        return f"{self.time.minute} {self.time.hour} * * {day}"


def _weekly(purpose: Purpose, wall: dt.datetime) -> CronSchedule:
    moved = wall + OFF_PEAK
    return CronSchedule(purpose, moved.weekday(), moved.time())


def schedules(config: StudyConfig) -> list[CronSchedule]:
    """The runs the study needs, in local time; a time that repeats an earlier one is left out."""
    deadline = config.schedule.first_deadline
    wanted: list[CronSchedule] = []
    if config.qna.reminder_before is not None:
        wanted.append(_weekly(Purpose.REMINDER, deadline - config.qna.reminder_before))
    wanted.append(_weekly(Purpose.DEADLINE, deadline))
    wanted.append(_weekly(Purpose.CUTOFF, deadline + config.schedule.late_window))
    wanted.append(CronSchedule(Purpose.DAILY, None, DAILY_AT))
    unique: list[CronSchedule] = []
    for item in wanted:
        if item.cron not in {seen.cron for seen in unique}:
            unique.append(item)
    return unique


def _when(item: CronSchedule, messages: Messages) -> str:
    if item.weekday is None:
        return messages.t("init.workflow.every_day", time=f"{item.time:%H:%M}")
    # 2024-01-01 is a Monday: any date with the right weekday names the day.
    day = dt.date(2024, 1, 1) + dt.timedelta(days=item.weekday)
    return f"{messages.weekday(day)} {item.time:%H:%M}"


def render_workflow(
    config: StudyConfig,
    messages: Messages,
    branch: str = "main",
    action: str = ACTION,
    config_path: str = "config/study.yml",
) -> str:
    """``.github/workflows/studybot.yml`` for the study, with comments in its language."""
    t = messages.t
    zone = config.study.timezone
    lines = [
        f"# {t('init.workflow.header', config=config_path)}",
        "name: studybot",
        "",
        "on:",
        "  schedule:",
        f"    # {t('init.workflow.schedule', zone=zone)}",
        f"    # {t('init.workflow.off_peak')}",
    ]
    for item in schedules(config):
        purpose = t(f"init.workflow.{item.purpose.value}")
        lines += [
            f"    - cron: '{item.cron}'   # {purpose}: {_when(item, messages)}",
            f"      timezone: {zone}",
        ]
    lines += [
        "  push:",
        f"    # {t('init.workflow.push')}",
        f"    branches: [{json.dumps(branch, ensure_ascii=False)}]",
        "  issue_comment:",
        f"    # {t('init.workflow.comments')}",
        "    types: [created, edited]",
        "  workflow_dispatch:",
        "    inputs:",
        "      dry-run:",
        "        description: Print the planned changes and write nothing",
        "        type: boolean",
        "        default: false",
        "      command:",
        "        description: run does what is due; recheck also re-reads issues, comments and pushes from the start",
        "        type: choice",
        "        options: [run, recheck]",
        "        default: run",
        "      week:",
        "        description: Only open, close or comment on this week's issue (tables and ledger still update)",
        "        type: string",
        "        required: false",
        "        default: ''",
        "",
        f"# {t('init.workflow.concurrency')}",
        "concurrency:",
        "  group: studybot",
        "  cancel-in-progress: false",
        "",
        f"# {t('init.workflow.no_permissions')}",
        "permissions: {}",
        "",
        "jobs:",
        "  studybot:",
        "    runs-on: ubuntu-latest",
        "    timeout-minutes: 10",
        "    permissions:",
        f"      contents: write   # {t('init.workflow.contents')}",
        f"      issues: write     # {t('init.workflow.issues')}",
        "    steps:",
        f"      - uses: {CHECKOUT}",
        "        with:",
        f"          fetch-depth: 0              # {t('init.workflow.fetch_depth')}",
        f"          persist-credentials: false  # {t('init.workflow.persist')}",
        f"      # {t('init.workflow.owner')}",
        f"      - uses: {action}",
        "        with:",
        f"          config: {config_path}",
        "          dry-run: ${{ github.event.inputs.dry-run }}",
        "          command: ${{ github.event.inputs.command }}",
        "          week: ${{ github.event.inputs.week }}",
    ]
    return "\n".join(lines) + "\n"
