"""Write docs/ko/messages.md: every Korean message a member sees, filled with the seed study's names.

Run from the repository root: `python scripts/message_gallery.py` (add `--check` to fail when the
page is out of date instead of rewriting it). The page lets a study leader read, in one place, what
the bot will say to the members, grouped by where they see it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import string
import sys
from pathlib import Path

import pytz

from studybot.core.messages import MARKS, Messages, messages_for
from studybot.core.verdicts import Verdict

OUT = Path("docs/ko/messages.md")
SEOUL = pytz.timezone("Asia/Seoul")
KO = messages_for("ko")

# Where a member meets each group of messages, in the order a week goes by.
GROUPS: list[tuple[str, str, tuple[str, ...]]] = [
    ("이슈 본문", "매주 여는 Q&A 이슈의 본문입니다.", ("issue.", "homework.")),
    ("주차 폴더 안내", "주차 폴더 방식에서 멤버 폴더에 미리 넣어 두는 안내 파일입니다.", ("placeholder.",)),
    ("리마인더", "마감 전에 한 번, 아직 제출하지 않은 멤버를 부르는 댓글입니다.", ("reminder.",)),
    ("마감 댓글", "마감 시각에 이슈를 닫으며 남기는 댓글입니다.", ("closing.", "questions.")),
    ("결과 댓글", "지각 인정 시간이 끝나면 이슈에 올리는 결과입니다.", ("results.", "verdict.", "settlement.statement")),
    ("댓글 답글", "Q&A 이슈에 단 링크가 제출로 세어지지 않았을 때의 답글입니다.", ("comment.",)),
    ("명령 답글", "스터디장이 `/studybot` 명령을 쓰면 다는 답글입니다.", ("command.",)),
    ("요약", "README의 벌금·팀 블로그 표, 정산, 내 현황, 실행 요약에 쓰는 말입니다.",
     ("fines.", "settlement.", "rotation.", "report.", "status.", "picture.", "timeline.", "time.")),
    ("캘린더", "`studybot calendar --format ics`로 구독하는 일정의 제목과 설명입니다.", ("ics.",)),
    ("메신저 알림", "Discord·Slack 알림의 제목입니다.", ("notify.",)),
    ("겹친 이슈 안내", "두 실행이 겹쳐 같은 주차 이슈가 두 번 열렸을 때, 나중 것을 닫으며 남기는 댓글입니다.", ("duplicate.",)),
    ("경고", "표나 기록에서 확인할 점이 있을 때 요약과 알림에 나오는 문장입니다. 적용하지 않은 변경은 이번 주 이슈에도 한 번 댓글로 남깁니다.",
     ("notice.", "ledger.", "webhook.", "config.refused", "run.config_broken")),
]

DEADLINE = SEOUL.localize(dt.datetime(2022, 5, 4, 0, 0))  # 3주차 마감 (after the midterm break)
LATE_UNTIL = SEOUL.localize(dt.datetime(2022, 5, 4, 12, 0))
NOW = SEOUL.localize(dt.datetime(2022, 5, 3, 18, 0))
OPENED = SEOUL.localize(dt.datetime(2022, 4, 30, 0, 0))  # the first day after the midterm break
LAST_MINUTE = KO.when_spoken(DEADLINE - dt.timedelta(minutes=1))  # what "before Wednesday 00:00" means to a member

RESULT_ROWS = "\n".join(
    [
        f"| 장서진 | {MARKS[Verdict.ON_TIME]} {KO.verdict(Verdict.ON_TIME)} | 0원 | 5월 2일(월) 21:03 |",
        f"| 구미진 | {MARKS[Verdict.ON_TIME]} {KO.verdict(Verdict.ON_TIME)} | 0원 | 5월 3일(화) 23:41 |",
        f"| 이은빈 | {MARKS[Verdict.LATE]} {KO.verdict(Verdict.LATE)} | 3,000원 | 5월 4일(수) 09:12 |",
        f"| 한현경 | {MARKS[Verdict.EXCUSED]} {KO.verdict(Verdict.EXCUSED)} | 0원 | — |",
        f"| 문수인 | {MARKS[Verdict.ABSENT]} {KO.verdict(Verdict.ABSENT)} | 4,000원 | — |",
    ]
)
SETTLEMENT_TABLE = (
    "| 이름 | 벌금 | 받을 금액 | 정산 |\n| :--- | ---: | ---: | ---: |\n"
    "| 장서진 | 4,000원 | 6,250원 | +2,250원 |\n| 구미진 | 7,000원 | 6,250원 | -750원 |\n"
    "| 이은빈 | 6,000원 | 6,250원 | +250원 |\n| 한현경 | 8,000원 | 6,250원 | -1,750원 |\n"
    "| 문수인 | 12,000원 | 0원 | -12,000원 |"
)

# Sample values by field name; a key may override some in KEY_FIELDS.
FIELDS: dict[str, object] = {
    "marker": "",
    "study": "Study-MLOps",
    "week": 3,
    "weeks": 12,
    "number": 14,
    "deadline": KO.when_spoken(DEADLINE),
    "deadline_utc": f"{DEADLINE.astimezone(pytz.utc):%Y-%m-%d %H:%M}",
    "late_until": KO.when_spoken(LATE_UNTIL),
    "until": KO.deadline_spoken(DEADLINE),
    "late_fine": "3,000원",
    "how": "README 과제 표의 내 칸에 `[이름](링크)` 넣기 또는 이 이슈에 `제출 <링크>`라고 댓글 달기(링크만 달아도 됩니다)",
    "homework": "",
    "folder": "3주차/이름/",
    "at": "5월 3일(화) 23:50",
    "cutoff": "12:00",
    "issue": 14,
    "sentence": "❌ config/study.yml: 설정 오류 1건. 아래를 고친 뒤 다시 실행하세요.",
    "absent_fine": "4,000원",
    "blog": "한현경 님 (@hyeonkyeong)",
    "left": "6시간",
    "names": "@mijinkoo, @m0oon0",
    "member": "구미진",
    "members": 5,
    "other": "장서진",
    "writer": "문수인",
    "name": "구미진",
    "amount": "3,000원",
    "total": "7,000원",
    "fines": "7,000원",
    "paid": "3,000원",
    "owed": "4,000원",
    "payout": "6,250원",
    "net": "-750원",
    "pot": "37,000원",
    "each": "6,250원",
    "remainder": "0원",
    "excluded": "문수인",
    "state": " — 예상",
    "reason": "병결",
    "login": "` @nobody `",
    "line": "`/studybot excuse @mijinkoo`",
    "maintainers": "장서진",
    "back": "",
    "rows": RESULT_ROWS,
    "table": SETTLEMENT_TABLE,
    "status": "완료",
    "verdict": "지각",
    "where": "3주차",
    "detail": "javascript:",
    "ref": "1a2b3c4",
    "sha": "1a2b3c4",
    "commit": "`1a2b3c4`",
    "actor": "mijinkoo",
    "platform": "Discord",
    "input": "discord-webhook",
    "seconds": 30,
    "now": KO.when_spoken(NOW),
    "timezone": "Asia/Seoul",
    "when": KO.when_spoken(NOW),
    "task": "Docker로 모델 서빙해 보기",
    "tasks": "- Docker로 모델 서빙해 보기\n- 2장 읽고 정리",
    "meeting": 2,
    "meetings": "2",
    "stated": "5월 3일(화)",
    "date": "5월 3일(화)",
    "month": 5,
    "day": 3,
    "weekday": "화",
    "time": "23:59",
    # Comments as members write them.
    "count": 1,
    "issue_week": 2,
    "opens": KO.when_spoken(OPENED),
    "link": "` myblog.com/post `",
    # Credit: `/studybot 인정`.
    "by": "장서진",
    "work": "` 구미진/ `",
    "path": "` 3주차/구미진/풀이.md `",
    "week_or": 3,
    "lines": "- 3주차 구미진 님이 5월 3일(화) 23:50에 이슈 #14에 단 댓글의 링크를 제출로 보지 않았습니다: https://velog.io/@mijinkoo/week3. `제출` 같은 말이 없었습니다. 과제라면 본인이 댓글에 `제출`을 적으면 그 시각에 제출로 봅니다.",
}
KEY_FIELDS: dict[str, dict[str, object]] = {
    # A key prefix ending in "." applies to every key under it.
    "webhook.": {"status": 404},
    "notice.uncounted_no_word": {"ref": "14", "detail": "https://velog.io/@mijinkoo/week3"},
    "notice.uncounted_question": {"ref": "14", "detail": "https://velog.io/@mijinkoo/week3"},
    "notice.uncounted_extra": {"ref": "14", "detail": "https://github.com/mijinkoo/mlops"},
    "notice.week_not_open": {"ref": "13", "other": 2, "detail": "https://velog.io/@mijinkoo/week3"},
    "notice.week_closed": {"ref": "15", "other": 4, "detail": "https://velog.io/@mijinkoo/week3"},
    "notice.marked_comment": {"ref": "14", "member": "한현경"},
    "notice.many_comments": {"ref": "14", "detail": "200", "other": 3},
    "time.until": {"when": LAST_MINUTE},
    "notice.folder_outside": {"detail": "mijinkoo/", "other": "구미진"},
    "notice.folder_unmatched": {"detail": "week_3/구미진/", "other": "구미진"},
    "notice.folder_foreign": {"detail": "3주차/구미진/풀이.md", "other": "이은빈"},
    "notice.folder_moved": {"detail": "3주차/구미진/풀이.md", "other": "이은빈"},
    "results.unread": {"lines": "- 3주차 구미진 님: `mijinkoo/` 폴더의 파일은 주차 폴더 밖에 있어서 제출로 읽지 않았습니다 "
                                "(구미진 님이 5월 3일(화) 23:50에 올림, 커밋 3f9c2d1). 과제라면 주차 폴더로 옮겨 주세요. "
                                "옮긴 시각에 제출로 봅니다."},
    "timeline.issue_at": {"when": KO.when_spoken(OPENED)},
    "timeline.reminder_at": {"when": KO.when_spoken(NOW)},
    "timeline.close_at": {"when": KO.when_spoken(DEADLINE)},
    "timeline.results_at": {"when": KO.when_spoken(LATE_UNTIL)},
    "ics.break": {"name": "중간고사"},
    "ics.blog": {"member": "한현경"},
    "ics.blog_note": {"member": "한현경"},
    "report.blog": {"member": "한현경"},
    "report.week": {"state": " (진행 중)"},
    "status.blog_next": {"week": 7},
    "homework.date_mismatch": {"deadline": LAST_MINUTE},
    "placeholder.body": {"deadline": LAST_MINUTE},
    "results.blog": {"member": "한현경", "status": "✅ [글 보기](https://blog.example/3)"},
    "issue.body": {"deadline": "5월 3일(화) 23:59까지"},
    "reminder.body": {"deadline": "5월 3일(화) 23:59까지"},
    "results.body": {"blog": "\n\n팀 블로그 (한현경): ✅ [글 보기](https://blog.example/3)"},
    "command.swapped": {"week": 4, "member": "문수인", "other": "장서진", "back": " 대신 6주차는 문수인 님이 씁니다."},
    "command.swapped_back": {"week": 6, "member": "문수인"},
    "command.not_writer": {"member": "구미진", "writer": "문수인"},
    "command.problem.unknown_verb": {"line": "`/studybot frobnicate`"},
    "command.problem.missing_user": {"line": "`/studybot excuse 3 병결`"},
    "command.problem.bad_user": {"line": "`/studybot excuse 구미진 3 병결`"},
    "command.problem.same_user": {"line": "`/studybot swap-blog 4 @m0oon0 @m0oon0`"},
    "command.problem.missing_week": {"line": "`/studybot excuse @mijinkoo`"},
    "command.problem.bad_week": {"line": "`/studybot excuse @mijinkoo 셋째 주 병결`"},
    "command.problem.missing_amount": {"line": "`/studybot paid @mijinkoo`"},
    "command.problem.bad_amount": {"line": "`/studybot paid @mijinkoo 삼천원`"},
    "command.problem.missing_reason": {"line": "`/studybot excuse @mijinkoo 3`"},
    "command.problem.extra_text": {"line": "`/studybot unexcuse @mijinkoo 3 실수`"},
    "command.not_a_week": {"week": 99},
    "command.past_week": {"week": 1},
    "comment.uncounted.no_word": {"member": "@m0oon0"},
    "comment.uncounted.question": {"member": "@m0oon0"},
    "notice.unknown_name": {"detail": "구미 진"},
    "notice.duplicate_week": {"detail": "3주차"},
    "notice.unknown_week": {"detail": "13주차"},
    "notice.not_owner": {"member": "한현경", "detail": "구미진"},
    "notice.unknown_author": {"member": "한현경", "detail": "hk@example.com"},
    "notice.no_table": {"detail": "주차 | 과제"},
    "notice.mangled_row": {"detail": "| 3주차 | [구미진](https://velog.io/@mijin/3"},
    "notice.duplicate_name": {"member": "이은빈"},
    "notice.bad_link": {"member": "장서진"},
    "settlement.departed": {"names": "이은빈"},
    "settlement.statement": {"study": "Study-MLOps"},
    "status.title": {"member": "구미진"},
    "settlement.title": {"state": " — 예상"},
    "command.credited": {"verdict": "정시 제출입니다"},
    "command.credit_not_theirs": {"other": "이은빈"},
    "results.credit": {"reason": ", 사유: 폴더를 잘못 넣음"},
    "results.credit_reason": {"reason": "폴더를 잘못 넣음"},
}


def sample(key: str, template: str) -> dict[str, object]:
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    fields = dict(FIELDS)
    for pattern, values in KEY_FIELDS.items():
        if key == pattern or (pattern.endswith(".") and key.startswith(pattern)):
            fields.update(values)
    if key == "placeholder.body":
        fields["tasks"] = KO.t("placeholder.tasks", tasks=FIELDS["tasks"])
    missing = names - fields.keys()
    if missing:
        raise SystemExit(f"{key}: no sample value for {sorted(missing)}; add one to FIELDS")
    return fields


def group_of(key: str) -> str | None:
    for title, _, prefixes in GROUPS:
        if key.startswith(prefixes):
            return title
    return None


def page(messages: Messages) -> str:
    lines = [
        "# studybot이 멤버에게 하는 말 (한국어)",
        "",
        "<!-- 이 파일은 scripts/message_gallery.py가 만듭니다. 직접 고치지 말고 "
        "studybot/core/messages/ko.py를 고친 뒤 스크립트를 다시 실행해 주세요. -->",
        "",
        "봇이 멤버에게 보여 주는 문장을 Study-MLOps의 3주차(마감 5월 4일(수) 00:00 전까지, "
        "지각 인정 12:00 전까지)를 예로 채워 모았습니다. 멤버 이름과 아이디, 금액은 예시입니다. "
        "날짜는 `5월 4일(수) 00:00`처럼 적었습니다.",
        "",
        "각 항목 위의 `키`는 `studybot/core/messages/ko.py`에서 그 문장을 찾을 때 씁니다.",
        "",
    ]
    by_group: dict[str, list[str]] = {title: [] for title, _, _ in GROUPS}
    for key in sorted(messages.text):
        title = group_of(key)
        if title is not None:
            by_group[title].append(key)
    lines.append("## 차례")
    lines.append("")
    for title, _, _ in GROUPS:
        lines.append(f"- [{title}](#{title.replace(' ', '-')}) ({len(by_group[title])}개)")
    lines.append("")
    for title, about, _ in GROUPS:
        lines += [f"## {title}", "", about, ""]
        for key in by_group[title]:
            text = messages.text[key].format(**sample(key, messages.text[key])).strip("\n")
            lines += [f"#### `{key}`", ""]
            if "\n" in text or text.startswith(("#", "|", "-")):
                # Several lines or Markdown of its own: shown as GitHub would, inside a quote.
                lines += ["> " + line if line else ">" for line in text.split("\n")]
            else:
                lines.append("> " + (text if text else "(빈 값)"))
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the page is out of date instead of writing it")
    args = parser.parse_args()
    text = page(KO)
    if args.check:
        if not OUT.exists() or OUT.read_text("utf-8") != text:
            print(f"{OUT} is out of date: run python scripts/message_gallery.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, "utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
