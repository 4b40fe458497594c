"""Markdown the bot writes: the README's fines and rotation tables, the report, the calendar."""

from __future__ import annotations

from collections.abc import Callable

from studybot.core.markup import escape, link
from studybot.core.messages import MARKS, Messages
from studybot.core.report import Report
from studybot.core.schedule import Schedule, Week


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def render_fines(report: Report, schedule: Schedule, messages: Messages, exclude: str | None = None) -> str:
    """Members × weeks with marks, totals, and the settlement underneath.

    ``exclude`` overrides the report's ``settlement.exclude``, which picks the settlement's wording.
    """
    def money(amount: int) -> str:
        return messages.money(amount, report.currency)

    weeks = report.weeks
    show_paid = bool(report.paid)
    head = [messages.t("fines.member")] + [messages.t("fines.week", week=w.week.number) for w in weeks]
    head.append(messages.t("fines.total"))
    if show_paid:
        head += [messages.t("fines.paid"), messages.t("fines.owed")]
    lines = [messages.t("fines.title"), "", _row(head), _row([":---"] + [":---:"] * (len(head) - 1))]
    for name, tally in report.tallies.items():
        cells = [escape(name)] + [MARKS[week.members[name].verdict] for week in weeks] + [money(tally.fines)]
        if show_paid:
            paid = report.paid.get(name, 0)
            cells += [money(paid), money(max(tally.fines - paid, 0))]
        lines.append(_row(cells))
    lines += ["", messages.t("fines.legend"), ""]
    lines += render_settlement(report, messages, exclude=exclude)
    return "\n".join(lines)


def render_settlement(
    report: Report, messages: Messages, title: bool = True, exclude: str | None = None,
    protect: Callable[[str], str] = escape,
) -> list[str]:
    """The settlement summary line and table, under a heading unless ``title`` is False.

    With ``exclude="none"`` (the config's ``settlement.exclude``) the pot is split among
    everyone, so neither the heading nor the summary speaks of last place. ``protect`` escapes
    member names (``markup.plain`` for a terminal).
    """
    def money(amount: int) -> str:
        return messages.money(amount, report.currency)

    settlement = report.settlement
    everyone = (exclude or report.exclude) == "none"
    state = messages.t("settlement.final" if report.finished else "settlement.projection")
    excluded = ", ".join(protect(name) for name in settlement.excluded) or messages.t("settlement.nobody")
    lines = [messages.t("settlement.title_all" if everyone else "settlement.title", state=state), ""] if title else []
    lines += [
        messages.t(
            "settlement.summary_all" if everyone else "settlement.summary",
            pot=money(settlement.pot),
            excluded=excluded,
            each=money(settlement.payout_each),
            remainder=money(settlement.remainder),
        )
        + (messages.t("settlement.departed", names=", ".join(protect(name) for name in settlement.departed))
           if settlement.departed else ""),
        "",
        messages.t("settlement.head") + (messages.t("settlement.paid_head") if report.paid else ""),
        "| :--- | ---: | ---: | ---: |" + (" ---: |" if report.paid else ""),
    ]
    for name, share in settlement.members.items():
        net = money(abs(share.net))
        cells = [protect(name), money(share.fines), money(share.payout), ("+" if share.net >= 0 else "−") + net]
        if report.paid:
            cells.append(money(report.paid.get(name, 0)))
        lines.append(_row(cells))
    return lines


def render_rotation(report: Report, schedule: Schedule, messages: Messages) -> str:
    """Every graded week: its deadline date, the writer, and whether the post is linked."""
    done = {week.week.number: week.blog for week in report.weeks}
    lines = [messages.t("rotation.title"), "", messages.t("rotation.head"), "| :---: | :---: | :---: | :---: |"]
    for week in schedule.weeks:
        deadline = schedule.local(week.deadline)
        writer = report.writers.get(week.number)
        post = done.get(week.number)
        lines.append(
            _row(
                [
                    messages.t("fines.week", week=week.number),
                    f"{deadline:%m-%d} ({messages.weekday(deadline.date())})",
                    escape(writer) if writer else messages.t("rotation.nobody"),
                    link("✅", post.url) if post else "",
                ]
            )
        )
    return "\n".join(lines)


def render_report(
    report: Report, schedule: Schedule, messages: Messages, exclude: str | None = None,
    protect: Callable[[str], str] = escape,
) -> str:
    """The whole report as Markdown, for the job summary and (with ``protect=markup.plain``) the terminal.

    ``exclude`` overrides the report's ``settlement.exclude``, which picks the settlement's wording.
    ``protect`` escapes what members wrote: GitHub's escaping (no mentions, no HTML) by default.
    """
    lines = [
        messages.t("report.title", study=protect(report.study)),
        "",
        messages.t("report.now", now=messages.when(schedule.local(report.now)), timezone=report.timezone),
    ]
    for week in report.weeks:
        lines += [
            "",
            messages.t(
                "report.week",
                week=week.week.number,
                deadline=messages.when(schedule.local(week.week.deadline)),
                late_until=messages.when(schedule.local(week.week.late_until)),
                state=messages.t("report.final" if week.final else "report.open"),
            ),
            "",
            messages.t("report.member_head"),
            "| :--- | :---: | ---: | :--- | :--- |",
        ]
        for name, judgement in week.members.items():
            submission = judgement.submission
            at = ""
            if submission:
                at = messages.when(schedule.local(submission.at))
                if not submission.trusted:
                    at += messages.t("report.untrusted")
            lines.append(
                _row(
                    [
                        protect(name),
                        f"{MARKS[judgement.verdict]} {messages.verdict(judgement.verdict)}",
                        messages.money(judgement.fine, report.currency) if judgement.fine else "",
                        link(messages.t(f"report.source.{submission.source.value}"), submission.url, protect)
                        if submission
                        else protect(judgement.note),
                        at,
                    ]
                )
            )
        if week.blog_member:
            status = link(messages.t("report.blog_done"), week.blog.url, protect) if week.blog else messages.t("report.blog_todo")
            lines += ["", messages.t("report.blog", member=protect(week.blog_member), status=status)]
    lines += [""] + render_settlement(report, messages, exclude=exclude, protect=protect)
    if report.warnings:
        lines += ["", messages.t("report.warnings"), ""]
        # One sentence once: the history and the table as it stands may find the same problem.
        sentences = dict.fromkeys(messages.notice(warning, protect, schedule.local) for warning in report.warnings)
        lines += [f"- {sentence}" for sentence in sentences]
    return "\n".join(lines) + "\n"


def render_calendar(schedule: Schedule, study: str, messages: Messages, protect: Callable[[str], str] = escape) -> str:
    """The calendar as a table with local weekday names, breaks shown where they fall.

    ``protect`` escapes the names the config gives: GitHub's escaping by default, ``markup.plain`` for a terminal.
    """
    lines = [
        messages.t("calendar.title", study=protect(study), timezone=schedule.timezone),
        "",
        messages.t("calendar.head"),
        "| :---: | :--- | :--- |",
    ]
    entries = [(week.deadline, week) for week in schedule.weeks] + [(skip.deadline, skip) for skip in schedule.skipped]
    for _, item in sorted(entries, key=lambda entry: entry[0]):
        if isinstance(item, Week):
            lines.append(
                _row(
                    [
                        messages.t("fines.week", week=item.number),
                        messages.when(schedule.local(item.deadline)),
                        messages.when(schedule.local(item.late_until)),
                    ]
                )
            )
        else:
            deadline, name = messages.when(schedule.local(item.deadline)), messages.break_name(item.break_name)
            # A break named only "휴식" (or not named) shows the word once.
            lines.append(
                messages.t("calendar.break", deadline=deadline, name=protect(name))
                if name
                else messages.t("calendar.break_only", deadline=deadline)
            )
    return "\n".join(lines) + "\n"


def calendar_json(schedule: Schedule) -> dict[str, object]:
    """The calendar in the JSON shape of SPEC §9."""
    return {
        "timezone": schedule.timezone,
        "weeks": [
            {
                "week": week.number,
                "deadline": schedule.local(week.deadline).isoformat(),
                "late_until": schedule.local(week.late_until).isoformat(),
            }
            for week in schedule.weeks
        ],
        "breaks": [
            {"from": item.start.isoformat(), "to": item.end.isoformat(), "name": item.name}
            for item in schedule.breaks
        ],
    }
