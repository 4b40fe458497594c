"""Benchmark: ``studybot report`` on a synthetic study with a long README history.

    python bench/history.py [--size S|L] [--commits N] [--keep DIR] [--repeat K]

Generates a study repository (config + README table) whose README has N commits, written
with one ``git fast-import`` process, then times ``studybot report --format json`` as a whole
process K times. Prints one JSON line of figures on stdout; progress goes to stderr.

Sizes (SPEC §11):
  S  the seed-like study: 5 members x 12 weeks, 100 commits   (target: report under 1 s)
  L  the scale case: 200 members x 52 weeks, 5,000 commits    (target: report under 10 s)

It also times the floor, ``git log -p --first-parent -- README.md`` on the same repository, K
times, and reads the peak memory (maximum resident set) of both: ``report`` should take at
most 1.2 x the floor's time and 2 x its memory (issue 23). studybot's own modules are
compiled to bytecode first, as an installed package is, so the figures do not count
compiling them (which ``PYTHONDONTWRITEBYTECODE`` would otherwise repeat in every run).

A benchmark, not a test: it asserts nothing about time. It does check the report (every
week present, the verdicts the generator planned) so that a broken run is not timed as fast.
Standard library only, plus the installed ``studybot``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

SIZES = {
    # members, weeks, commits
    "S": (5, 12, 100),
    "L": (200, 52, 5000),
}
SEED = 20230308
KST = dt.timezone(dt.timedelta(hours=9))
FIRST_DEADLINE = dt.datetime(2023, 3, 8, 0, 0, tzinfo=KST)  # a Wednesday, 00:00 local
LATE_WINDOW = dt.timedelta(hours=12)
WEEK = dt.timedelta(days=7)

# Share of the commits after the first one (which creates the README and the config).
SHARE_UNRELATED = 0.04  # a line above the table: notices, links
SHARE_BLOG = 0.03       # the week's 팀블로그 cell, at most once a week
SHARE_EDIT = 0.08       # a member changes a link already there
MAX_FILLED = 0.85       # at most this share of (member, week) cells ever gets a link

TOPICS = [
    ("Fundamentals", "딥러닝 기초 정리"),
    ("CNNs", "합성곱 신경망과 컴퓨터 비전"),
    ("RNNs", "순환 신경망과 시퀀스 모델"),
    ("Transformers", "트랜스포머와 전이 학습"),
    ("ML-Projects", "머신러닝 프로젝트 설계"),
    ("Infrastructure-and-Tooling", "인프라와 도구"),
    ("Data-Management", "데이터 관리와 라벨링"),
    ("Training-and-Debugging", "학습과 디버깅"),
    ("Testing-and-Explainability", "테스트와 설명 가능성"),
    ("Deployment", "모델 배포와 서빙"),
    ("Monitoring", "모니터링과 지속 학습"),
    ("Research-Directions", "연구 동향 리뷰"),
]
NOTICES = [
    "다음 주 발표 순서를 이슈에서 확인하세요.",
    "이번 주는 리딩 자료가 추가되었습니다.",
    "실습(Lab)은 선택입니다. 질문은 이슈 탭에 남겨 주세요.",
    "회비 정산 일정이 바뀌었습니다. 아래 규칙을 확인하세요.",
]


def log(message: str) -> None:
    print(f"[bench/history] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- the synthetic study


@dataclass(frozen=True)
class Member:
    index: int  # 0-based
    name: str
    login: str

    @property
    def email(self) -> str:
        return f"{self.login}@users.noreply.github.com"


@dataclass
class Event:
    at: int  # Unix seconds
    kind: str  # add | edit | blog | notice
    author: Member
    week: int = 0
    member: Member | None = None
    order: int = 0  # tie-break for events in the same second


@dataclass
class Plan:
    members: list[Member]
    weeks: int
    created_at: int
    now: dt.datetime
    events: list[Event]
    expected: dict[str, int] = field(default_factory=dict)  # on_time / late / absent


def deadline(week: int) -> dt.datetime:
    return FIRST_DEADLINE + (week - 1) * WEEK


def unix(instant: dt.datetime) -> int:
    return int(instant.timestamp())


def make_members(count: int) -> list[Member]:
    return [Member(i, f"멤버{i + 1:03d}", f"member-{i + 1:03d}") for i in range(count)]


def plan_history(members: list[Member], weeks: int, commits: int, rng: random.Random) -> Plan:
    """Decide every commit: who, what, when, and which verdicts the report should give."""
    created = deadline(1) - WEEK - dt.timedelta(hours=14)  # the Tuesday before week 1, 10:00
    now = deadline(weeks) + LATE_WINDOW + dt.timedelta(days=2)
    start, stop = unix(created) + 3600, unix(now) - 3600
    rest = max(commits - 1, 0)
    cells = len(members) * weeks

    n_unrelated = round(rest * SHARE_UNRELATED)
    n_blog = min(weeks, round(rest * SHARE_BLOG))
    n_edit = round(rest * SHARE_EDIT)
    n_add = min(rest - n_unrelated - n_blog - n_edit, int(cells * MAX_FILLED))
    if n_add < rest - n_unrelated - n_blog - n_edit:  # small studies: more blog posts and edits
        spare = rest - n_unrelated - n_blog - n_edit - n_add
        extra_blog = min(weeks - n_blog, spare // 4)
        n_blog += extra_blog
        n_edit += spare - extra_blog
    if n_add == 0 and n_edit:
        n_add, n_edit = 1, n_edit - 1

    # Which cells get a link: diligent members fill more (weighted sampling without replacement).
    diligence = [rng.uniform(0.25, 1.0) for _ in members]
    keyed = [
        (rng.random() ** (1.0 / diligence[m.index]), m.index, week)
        for m in members
        for week in range(1, weeks + 1)
    ]
    keyed.sort(reverse=True)
    chosen = [(members[index], week) for _, index, week in keyed[:n_add]]

    events: list[Event] = []
    expected = {"on_time": 0, "late": 0, "absent": cells}
    adds: list[Event] = []
    for member, week in chosen:
        due = unix(deadline(week))
        roll = rng.random() * (0.6 + 0.4 * diligence[member.index])
        if roll > 0.22:  # on time: during the week before the deadline
            at = due - rng.randint(60, int(6.5 * 86400))
        elif roll > 0.1:  # late: inside the late window
            at = due + rng.randint(0, int(LATE_WINDOW.total_seconds()) - 1)
        else:  # after the late window: still absent
            at = due + int(LATE_WINDOW.total_seconds()) + rng.randint(1, 5 * 86400)
        at = min(max(at, start), stop)
        if at < due:
            expected["on_time"] += 1
            expected["absent"] -= 1
        elif at < due + LATE_WINDOW.total_seconds():
            expected["late"] += 1
            expected["absent"] -= 1
        event = Event(at, "add", member, week, member)
        adds.append(event)
    events += adds

    for _ in range(n_edit):
        first = rng.choice(adds)
        at = min(first.at + rng.randint(600, 10 * 86400), stop)
        events.append(Event(max(at, first.at + 1), "edit", first.member, first.week, first.member))

    for week in sorted(rng.sample(range(1, weeks + 1), n_blog)):
        writer = members[(week - 1) % len(members)]  # rotation order = the member list
        at = min(unix(deadline(week)) + rng.randint(3600, 3 * 86400), stop)
        events.append(Event(at, "blog", writer, week, writer))

    for _ in range(n_unrelated):
        author = members[0] if rng.random() < 0.7 else rng.choice(members)
        events.append(Event(rng.randint(start, stop), "notice", author))

    for position, event in enumerate(events):
        event.order = position
    events.sort(key=lambda event: (event.at, event.order))
    return Plan(members, weeks, unix(created), now, events, expected)


def make_url(member: Member, week: int, rng: random.Random, revision: int = 0) -> str:
    english, korean = TOPICS[(week - 1) % len(TOPICS)]
    title = quote(f"{week}주차 {korean}".replace(" ", "-"))
    style = (member.index + revision) % 4
    if style == 0:
        url = f"https://velog.io/@{member.login}/{title}"
    elif style == 1:
        url = f"https://{member.login}.notion.site/{english}-{rng.getrandbits(128):032x}"
    elif style == 2:
        url = (
            f"https://github.com/{member.login}/Study-MLOps/blob/main/Week{week}/"
            f"{quote(f'Week {week} : {english.replace(chr(45), chr(32))}')}.md"
        )
    else:
        url = f"https://{member.login}.tistory.com/entry/{title}"
    return url + (f"?pvs={revision}" if revision else "")


# ---------------------------------------------------------------- files


def config_text(members: list[Member], weeks: int) -> str:
    lines = [
        "# A synthetic study for bench/history.py.",
        "study:",
        f"  name: Bench-{len(members)}x{weeks}",
        "  language: ko",
        "  timezone: Asia/Seoul",
        "  currency: KRW",
        "schedule:",
        "  first_week: 1",
        f"  weeks: {weeks}",
        f"  first_deadline: {FIRST_DEADLINE:%Y-%m-%d %H:%M}",
        "  late_window: 12h",
        "  breaks: []",
        "fines: {late: 3000, absent: 4000}",
        "settlement: {exclude: last_place}",
        "members:",
    ]
    for member in members:
        maintainer = ", maintainer: true" if member.index == 0 else ""
        lines.append(f"  - {{name: {member.name}, github: {member.login}{maintainer}}}")
    lines += [
        "submissions:",
        "  readme: {enabled: true, path: README.md, week_column: 주차, column: 과제}",
        "  issues: {enabled: true}",
        "  folders: {enabled: false, pattern: \"{week}주차/{name}/\"}",
        "  timing: authored",
        "rotation:",
        "  team_blog:",
        "    readme_column: 팀블로그",
        "    order:",
    ]
    lines += [f"      - {member.name}" for member in members]
    lines += [
        "qna:",
        "  title: \"[{week}주차] Q&A\"",
        "  labels: [Q&A]",
        "excuses: []",
        "output: {readme: README.md, ledger: .studybot/ledger.json}",
    ]
    return "\n".join(lines) + "\n"


AFTER_TABLE = """
<!-- ()안에 과제 기록한 곳 링크 넣으시면 됩니다! -->

---
**스터디 소개**

매주 한 챕터씩 읽고, 각자 정리한 글의 링크를 위 표의 자기 이름 칸 `()` 안에 넣습니다.

### 📍규칙

- **과제 제출은 매주 수요일 자정 전까지**
- 벌금💸 → **지각 제출: 3000원** / **과제 결석: 4000원**
- 수요일 낮 12시 전까지 과제 미제출 = 과제 결석
- 벌금은 스터디가 끝나면 꼴찌 제외 1/n 로 나눕니다.

### 👀 그외

- 질문은 **`Issue`** 탭에 남겨 주세요. 이슈는 매주 수요일 자정에 닫힙니다.
- 팀 블로그 포스팅은 돌아가면서 합니다.
"""


class Readme:
    """The README as parts, so one commit rebuilds only the row it changed."""

    def __init__(self, plan: Plan):
        self.members = plan.members
        self.notices = ["- 스터디 시작! 첫 주 과제는 표를 확인하세요."]
        self.urls: dict[tuple[int, int], str] = {}  # (member index, week) -> url
        self.revisions: dict[tuple[int, int], int] = {}
        self.blog: dict[int, str] = {}
        self.writers = {week: self.members[(week - 1) % len(self.members)] for week in range(1, plan.weeks + 1)}
        self.rows = [self._row(week) for week in range(1, plan.weeks + 1)]
        self._preamble = self._head()
        self._after = AFTER_TABLE.encode()

    def _head(self) -> bytes:
        text = "\n".join(
            [f"# Bench Study ({len(self.members)}명)", "", "### 📢 공지", *self.notices, "", "## 과제 제출",
             "|주차|과제|팀블로그|", "|:---:|---|:---:|", ""]
        )
        return text.encode()

    def _row(self, week: int) -> bytes:
        cells = " &nbsp; ".join(
            f"[{member.name}]({self.urls.get((member.index, week), '')})" for member in self.members
        )
        writer = self.writers[week].name
        blog = f"[{writer}]({self.blog[week]})" if week in self.blog else writer
        return f"|{week}주차|{cells}|{blog}|\n".encode()

    def bytes(self) -> bytes:
        return b"".join([self._preamble, *self.rows, self._after])

    def apply(self, event: Event, rng: random.Random) -> str:
        """Change the README for ``event``; return the commit message."""
        if event.kind == "notice":
            if len(self.notices) < 3 or rng.random() < 0.5:
                self.notices.append(f"- 공지 {len(self.notices) + 1}: {rng.choice(NOTICES)}")
            else:
                spot = rng.randrange(1, len(self.notices))
                self.notices[spot] = f"- 공지 {spot + 1}: {rng.choice(NOTICES)}"
            self._preamble = self._head()
            return "공지 수정"
        assert event.member is not None
        key = (event.member.index, event.week)
        if event.kind == "blog":
            self.blog[event.week] = f"https://bench-study.tistory.com/{1000 + event.week}"
            message = f"{event.week}주차 팀블로그"
        elif event.kind == "add":
            self.urls[key] = make_url(event.member, event.week, rng)
            message = f"{event.week}주차 {event.member.name} 과제 제출"
        else:
            self.revisions[key] = self.revisions.get(key, 0) + 1
            self.urls[key] = make_url(event.member, event.week, rng, self.revisions[key])
            message = f"{event.week}주차 {event.member.name} 링크 수정"
        self.rows[event.week - 1] = self._row(event.week)
        return message


# ---------------------------------------------------------------- git


def git(repo: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"}
    return subprocess.run(["git", "-C", str(repo), *args], check=True, env=env, **kwargs)


def data(payload: bytes) -> bytes:
    return b"data %d\n%s\n" % (len(payload), payload)


def write_history(repo: Path, plan: Plan, rng: random.Random) -> tuple[int, int]:
    """Create the repository with one ``git fast-import``; return (README bytes, commits)."""
    git(repo, "init", "--quiet", "--initial-branch=main")
    readme = Readme(plan)
    importer = subprocess.Popen(
        ["git", "-C", str(repo), "fast-import", "--quiet", "--date-format=raw"],
        stdin=subprocess.PIPE,
        env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1"},
    )
    assert importer.stdin is not None
    out = io.BufferedWriter(importer.stdin, buffer_size=1 << 20)  # type: ignore[arg-type]

    def commit(author: Member, at: int, message: str, files: dict[str, bytes]) -> None:
        who = f"{author.name} <{author.email}> {at} +0900".encode()
        out.write(b"commit refs/heads/main\nauthor %s\ncommitter %s\n" % (who, who))
        out.write(data(message.encode()))
        for path, content in files.items():
            out.write(b"M 100644 inline %s\n" % path.encode())
            out.write(data(content))

    maintainer = plan.members[0]
    content = readme.bytes()
    commit(maintainer, plan.created_at, "과제 제출 표 만들기",
           {"README.md": content, "config/study.yml": config_text(plan.members, plan.weeks).encode()})
    count = 1
    for event in plan.events:
        message = readme.apply(event, rng)
        content = readme.bytes()
        commit(event.author, event.at, message, {"README.md": content})
        count += 1
        if count % 1000 == 0:
            log(f"  {count} commits fed, README {len(content):,} bytes")
    out.write(b"done\n")
    out.close()
    if importer.wait() != 0:
        raise SystemExit(f"git fast-import failed with exit code {importer.returncode}")
    git(repo, "reset", "--quiet", "--hard", "main")
    return len(content), count


# ---------------------------------------------------------------- timing


def studybot_command() -> list[str]:
    script = Path(sys.executable).parent / "studybot"
    if script.exists():
        return [str(script)]
    found = shutil.which("studybot")
    return [found] if found else [sys.executable, "-m", "studybot"]


# Measures one command from a small process of its own: Linux keeps a process's peak memory
# across exec, and a child forked from this (large) process would start with this one's.
_LAUNCHER = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def measured(argv: list[str], cwd: Path | None = None) -> tuple[float, int, bytes, bytes, int]:
    """Run ``argv`` once: wall-clock seconds, peak resident memory in KiB (the process's or
    a waited-for child's, whichever was larger), stdout, stderr and the exit code."""
    with tempfile.TemporaryDirectory(prefix="studybot-bench-run-") as scratch:
        peak_file = Path(scratch) / "maxrss"
        began = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", _LAUNCHER, str(peak_file), *argv], cwd=cwd, capture_output=True, check=False)
        elapsed = time.perf_counter() - began
        peak = int(peak_file.read_text()) if peak_file.exists() else 0
    return elapsed, peak, done.stdout, done.stderr, done.returncode


def run_report(command: list[str], repo: Path, now: dt.datetime) -> tuple[float, int, dict]:
    argv = [*command, "report", "--config", str(repo / "config" / "study.yml"), "--repo-path", str(repo),
            "--now", now.isoformat(), "--format", "json"]
    elapsed, peak, stdout, stderr, code = measured(argv)
    if code != 0:
        sys.stderr.write(stderr.decode("utf-8", "replace"))
        raise SystemExit(f"studybot report failed with exit code {code}: {' '.join(argv)}")
    try:
        return elapsed, peak, json.loads(stdout)
    except json.JSONDecodeError as error:
        raise SystemExit(f"studybot report printed no JSON ({error}): {stdout[:200]!r}") from None


def run_git_floor(repo: Path) -> tuple[float, int]:
    """The floor: git printing every README patch of the first-parent chain, as a reader would ask."""
    elapsed, peak, _, stderr, code = measured(["git", "log", "-p", "--first-parent", "--", "README.md"], cwd=repo)
    if code != 0:
        raise SystemExit(f"git log failed: {stderr.decode('utf-8', 'replace')}")
    return elapsed, peak


def compile_studybot() -> None:
    """Bytecode for studybot's modules, as ``pip install`` leaves it for an installed package."""
    import compileall

    import studybot

    compileall.compile_dir(str(Path(studybot.__file__).parent), quiet=1)


def tally(report: dict, plan: Plan) -> dict[str, int]:
    """Verdict counts and submissions in a report; exits when the report is not a real one."""
    weeks = report.get("weeks")
    if not isinstance(weeks, list) or len(weeks) != plan.weeks:
        raise SystemExit(f"the report has {len(weeks) if isinstance(weeks, list) else 'no'} weeks, "
                         f"expected {plan.weeks}")
    counts = {"on_time": 0, "late": 0, "absent": 0, "submissions": 0, "blog": 0}
    for week in weeks:
        members = week.get("members", {})
        if len(members) != len(plan.members):
            raise SystemExit(f"week {week.get('week')} judges {len(members)} members, expected {len(plan.members)}")
        for judgement in members.values():
            verdict = judgement.get("verdict")
            if verdict in counts:
                counts[verdict] += 1
            if judgement.get("url"):
                counts["submissions"] += 1
        counts["blog"] += bool(week.get("blog", {}).get("done"))
    counts["warnings"] = len(report.get("warnings", []))
    if counts["submissions"] == 0:
        raise SystemExit("the report found no submissions in the README history")
    return counts


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="S", help="S: 5x12, 100 commits; L: 200x52, 5,000")
    parser.add_argument("--commits", type=int, help="README commits (default: by size)")
    parser.add_argument("--keep", metavar="DIR", help="generate the repository here and keep it")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of studybot report (default: 3)")
    arguments = parser.parse_args(argv)
    members_n, weeks, commits = SIZES[arguments.size]
    commits = arguments.commits if arguments.commits is not None else commits
    if commits < 2:
        parser.error("--commits must be at least 2 (the first commit creates the README)")
    if arguments.repeat < 1:
        parser.error("--repeat must be at least 1")

    rng = random.Random(SEED)
    members = make_members(members_n)
    plan = plan_history(members, weeks, commits, rng)

    temporary = None
    if arguments.keep:
        repo = Path(arguments.keep).resolve()
        if repo.exists() and any(repo.iterdir()):
            parser.error(f"--keep {repo}: the directory is not empty")
        repo.mkdir(parents=True, exist_ok=True)
    else:
        temporary = tempfile.TemporaryDirectory(prefix="studybot-bench-")
        repo = Path(temporary.name)
    try:
        log(f"size {arguments.size}: {members_n} members x {weeks} weeks, {commits} commits in {repo}")
        began = time.perf_counter()
        readme_bytes, made = write_history(repo, plan, rng)
        generate_s = time.perf_counter() - began
        logged = int(git(repo, "rev-list", "--count", "HEAD", capture_output=True).stdout)
        if logged != commits or made != commits:
            raise SystemExit(f"the history has {logged} commits, expected {commits}")
        pack_bytes = sum(path.stat().st_size for path in (repo / ".git" / "objects").rglob("*") if path.is_file())
        log(f"generated in {generate_s:.2f} s: README {readme_bytes:,} bytes, objects {pack_bytes:,} bytes")

        command = studybot_command()
        compile_studybot()
        times: list[float] = []
        peaks: list[int] = []
        floor_times: list[float] = []
        floor_peaks: list[int] = []
        counts: dict[str, int] = {}
        for run in range(arguments.repeat):
            elapsed, peak, report = run_report(command, repo, plan.now)
            counts = tally(report, plan)
            times.append(elapsed)
            peaks.append(peak)
            floor_elapsed, floor_peak = run_git_floor(repo)
            floor_times.append(floor_elapsed)
            floor_peaks.append(floor_peak)
            log(f"run {run + 1}/{arguments.repeat}: report {elapsed:.3f} s, {peak / 1024:.0f} MiB; "
                f"git log -p {floor_elapsed:.3f} s, {floor_peak / 1024:.0f} MiB")
        planned = {key: plan.expected[key] for key in ("on_time", "late", "absent")}
        found = {key: counts[key] for key in ("on_time", "late", "absent")}
        if found != planned:
            log(f"verdicts differ from the generated history: report {found}, planned {planned}")
        figures = {
            "bench": "history",
            "size": arguments.size,
            "members": members_n,
            "weeks": weeks,
            "commits": commits,
            "readme_bytes": readme_bytes,
            "objects_bytes": pack_bytes,
            "generate_s": round(generate_s, 3),
            "report_s_min": round(min(times), 3),
            "report_s_median": round(statistics.median(times), 3),
            "git_log_p_s_min": round(min(floor_times), 3),
            "report_over_git": round(min(times) / min(floor_times), 2),
            "report_peak_mib": round(max(peaks) / 1024, 1),
            "git_log_p_peak_mib": round(max(floor_peaks) / 1024, 1),
            "memory_over_git": round(max(peaks) / max(floor_peaks), 2),
            "repeat": arguments.repeat,
            "submissions": counts["submissions"],
            "verdicts": found,
            "verdicts_as_planned": found == planned,
            "blog_posts": counts["blog"],
            "warnings": counts["warnings"],
            "python": platform.python_version(),
            "git": git(repo, "--version", capture_output=True, text=True).stdout.split()[-1],
            "cpus": os.cpu_count(),
        }
        if arguments.keep:
            log(f"kept {repo}; rerun: {' '.join(command)} report --repo-path {repo} "
                f"--now {plan.now.isoformat()} --format json")
        print(json.dumps(figures, ensure_ascii=False))
        return 0
    finally:
        if temporary is not None:
            temporary.cleanup()


if __name__ == "__main__":
    sys.exit(main())
