"""한국어 메시지 (the example study's language)."""

WEEKDAYS = ("월", "화", "수", "목", "금", "토", "일")


def money(amount: int, currency: str) -> str:
    if currency == "KRW":
        return f"{amount:,}원"
    return f"{amount:,} {currency}"


TEXT = {
    "verdict.on_time": "제출",
    "verdict.late": "지각",
    "verdict.absent": "결석",
    "verdict.pending": "대기",
    "verdict.excused": "면제",
    "verdict.not_member": "해당 없음",
    "check.ok": "✅ {path}: 설정이 올바릅니다 — {study}, 멤버 {members}명, {weeks}주 (첫 마감 {first}, 마지막 마감 {last}).",
    "check.failed": "❌ {path}: 설정 오류 {count}건. 아래를 고친 뒤 다시 실행하세요.",
    "calendar.title": "## {study} 일정 ({timezone})",
    "calendar.head": "| 주차 | 마감 (이 시각 전까지) | 지각 인정 (이 시각 전까지) |",
    "calendar.break": "| — | {deadline} | 휴식: {name} |",
    "report.title": "# {study} 과제 현황",
    "report.now": "기준 시각: {now} ({timezone})",
    "report.week": "## {week}주차 — 마감 {deadline}, 지각 인정 {late_until}{state}",
    "report.final": " (확정)",
    "report.open": " (진행 중)",
    "report.member_head": "| 이름 | 결과 | 벌금 | 제출 | 시각 |",
    "report.untrusted": " (커밋 시각)",
    "report.blog": "팀 블로그: {member} — {status}",
    "report.blog_done": "완료",
    "report.blog_todo": "아직",
    "report.warnings": "## 확인할 점",
    "fines.title": "### 벌금 현황",
    "fines.legend": "✅ 제출 · ⏰ 지각 · ❌ 결석 · 🙏 면제 · ⏳ 대기 · `·` 해당 없음",
    "fines.member": "이름",
    "fines.week": "{week}주차",
    "fines.total": "벌금",
    "fines.paid": "납부",
    "fines.owed": "미납",
    "fines.updated": "마지막 갱신: {now}",
    "settlement.title": "### 정산 (꼴찌 제외 1/n){state}",
    "settlement.projection": " — 예상",
    "settlement.final": " — 최종",
    "settlement.summary": "총 벌금 {pot} · 꼴찌 제외: {excluded} · 1인당 {each} · 나머지 {remainder}",
    "settlement.nobody": "없음",
    "settlement.head": "| 이름 | 벌금 | 받을 금액 | 정산 |",
    "rotation.title": "### 팀 블로그 순서",
    "rotation.head": "| 주차 | 마감일 | 담당 | 완료 |",
    "rotation.nobody": "—",
    "notice.where": "{week}주차",
    "notice.bad_link": "{where} {member}: 링크가 올바르지 않아 제출로 보지 않았습니다 ({detail}). http(s) 주소를 넣어 주세요.",
    "notice.unknown_name": "{where} 표에 멤버가 아닌 이름 '{detail}'이 있습니다. config의 members 이름과 맞춰 주세요.",
    "notice.duplicate_name": "{where} {member}의 칸이 두 번 있습니다. 첫 번째 링크만 봅니다.",
    "notice.duplicate_week": "{where} 행이 두 번 있습니다 ('{detail}'). 한 행만 남겨 주세요.",
    "notice.unknown_week": "표의 '{detail}' 행은 일정에 없는 주차라 건너뛰었습니다.",
    "notice.not_owner": "{where} {member}의 칸을 본인도 스터디장도 아닌 {detail}이(가) 바꿨습니다 (커밋 {ref}). 이 변경은 제출로 보지 않았습니다.",
    "notice.no_table": "README에서 제출 표를 찾지 못했습니다 (머리글 {detail} 필요).",
    "notice.mangled_row": "표의 한 행을 읽지 못했습니다: {detail}",
    "notice.limit": "한도를 넘어 일부만 읽었습니다: {detail}",
}
