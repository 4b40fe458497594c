"""The first run on a repository: one setup issue, and nothing else until a maintainer says start.

Installing studybot mid-term must not freeze past weeks, post comments or commit before a
leader has seen what the bot would do. The first run opens a setup issue showing the calendar,
the members as matched (with the commit authors it could not place), and the verdicts it would
freeze; a maintainer answers ``/studybot start`` (``/studybot 시작``) and the next run does the
weekly work. A study the bot already runs (it has issues or frozen weeks) counts as started.
"""

from __future__ import annotations

import datetime as dt

from studybot.core.config import StudyConfig
from studybot.core.cycle import WEEK_OPENS_BEFORE
from studybot.core.markers import Kind, marker
from studybot.core.markup import code, escape
from studybot.core.members import Roster
from studybot.core.messages import Messages
from studybot.core.protections import codeowners, exposed, unguarded
from studybot.core.records import BranchRule
from studybot.core.render import render_calendar, render_fines
from studybot.core.report import Report
from studybot.core.schedule import Schedule
from studybot.core.world import World


def unmatched_authors(config: StudyConfig, world: World) -> list[tuple[str, str, int]]:
    """README commit authors no member matches: (name, address, commits), most commits first."""
    roster = Roster(config)
    found: dict[str, tuple[str, str, int]] = {}
    for patch in world.git.readme_patches:
        commit = patch.commit
        if roster.author(commit.author_email) is not None:
            continue
        key = commit.author_email.lower()
        name, email, count = found.get(key, (commit.author_name, commit.author_email, 0))
        found[key] = (name, email, count + 1)
    return sorted(found.values(), key=lambda item: (-item[2], item[1]))


def _rules(world: World) -> tuple[BranchRule, ...] | None:
    return world.github.rules if world.github is not None else None


def unprotected(world: World) -> list[str]:
    """The guarded folders a member could change: by the branch's rules when GitHub gave them, else by CODEOWNERS."""
    text, rules = codeowners(world.files), _rules(world)
    return unguarded(text) if rules is None else exposed(text, rules)


def protection_text(world: World, messages: Messages, bot_login: str | None = None) -> str:
    """Which of config/, .studybot/ and .github/workflows/ members can still change, and the fix for each plan."""
    missing = unprotected(world)
    paths = ", ".join(f"`{path}`" for path in missing)
    if _rules(world) is None:
        # Only CODEOWNERS speaks then, and it cannot tell whether a review is required: today's wording.
        if not missing:
            return messages.t("protections.ok")
        return messages.t("protections.missing", paths=paths) + "\n\n" + messages.t("protections.plans")
    if not missing:
        return messages.t("protections.rules_ok")
    if bot_login:
        bypass = messages.t("protections.bypass_app", app=bot_login)
    else:
        bypass = messages.t("protections.bypass_leader")
    # No ruleset can exempt the job token, so a restricted .studybot/ would refuse the bot's own commits.
    caution = messages.t("protections.token_caution") if ".studybot/" in missing and not bot_login else ""
    return messages.t(
        "protections.rules_missing",
        paths=paths,
        patterns=", ".join(f"`{path}**`" for path in missing),
        bypass=bypass,
        caution=caution,
    )


def setup_protections(world: World, messages: Messages, bot_login: str | None = None) -> str:
    """The setup issue's protection part, calm and short: what studybot already refuses, which
    folders are open today and what the leader can add on each plan, with the step-by-step
    recipe folded away."""
    missing = unprotected(world)
    if not missing:
        return messages.t("protections.refused") + "\n\n" + protection_text(world, messages, bot_login)
    today = messages.t("protections.open", paths=", ".join(f"`{path}`" for path in missing))
    recipe = messages.t("protections.recipe", steps=protection_text(world, messages, bot_login).removeprefix("⚠️ "))
    return "\n\n".join((messages.t("protections.refused"), today, messages.t("protections.plans"), recipe))


def _rules_text(config: StudyConfig, schedule: Schedule, messages: Messages) -> str:
    """Every key money depends on, one short line each: deadline, fines, settlement, timing, excuses, leaders."""
    currency = config.study.currency
    first = schedule.weeks[0]  # a valid config grades at least one week
    lines = [
        messages.t(
            "setup.rule.deadline", week=first.number, deadline=messages.when(schedule.local(first.deadline)),
            late_until=messages.when(schedule.local(first.late_until)),
        )
    ]
    lines.append(
        messages.t(
            "setup.rule.fines", late=messages.money(config.fines.late, currency),
            absent=messages.money(config.fines.absent, currency),
        )
    )
    lines.append(messages.t(f"setup.rule.settlement.{config.settlement.exclude}"))
    lines.append(messages.t(f"setup.rule.timing.{config.submissions.timing}"))
    if config.excuses:
        excuses = ", ".join(
            messages.t("setup.rule.excuse", week=item.week, member=escape(item.member), reason=escape(item.reason) or "—")
            for item in config.excuses
        )
        lines.append(messages.t("setup.rule.excuses", excuses=excuses))
    else:
        lines.append(messages.t("setup.rule.no_excuses"))
    leaders = [member for member in config.members if member.maintainer]
    if leaders:
        names = ", ".join(
            escape(member.name) + (f" ({code('@' + member.github)})" if member.github else "") for member in leaders
        )
        lines.append(messages.t("setup.rule.leaders", leaders=names))
    else:
        lines.append(messages.t("setup.rule.no_leader"))
    return "\n".join(f"- {line}" for line in lines)


def _routes_text(config: StudyConfig, messages: Messages) -> str:
    """How a member hands homework in, route by route."""
    sources = config.submissions
    routes = []
    if sources.readme.enabled:
        routes.append(messages.t("setup.route.readme", path=code(sources.readme.path), column=code(sources.readme.column)))
    if sources.folders.enabled:
        routes.append(messages.t("setup.route.folders", pattern=code(str(sources.folders.pattern))))
    if sources.issues.enabled:
        routes.append(messages.t("setup.route.issues"))
    return "\n".join(f"- {route}" for route in routes) or messages.t("setup.route.none")


def _blog_text(config: StudyConfig, messages: Messages) -> str:
    blog = config.rotation.team_blog
    if blog is None:
        return messages.t("setup.blog.none")
    return messages.t("setup.blog.order", order=" → ".join(escape(name) for name in blog.order), column=code(blog.readme_column))


def _tables_text(config: StudyConfig, messages: Messages) -> str:
    tables = [messages.t("setup.table.fines")]
    if config.rotation.team_blog is not None:
        tables.append(messages.t("setup.table.rotation"))
    return messages.t("setup.tables", readme=code(config.output.readme), tables=", ".join(tables))


def _issue_text(config: StudyConfig, schedule: Schedule, report: Report, messages: Messages) -> str:
    """When the week's Q&A issue opens and when the reminder goes out, for the next week still ahead;
    a week whose issue was due to open already is opened by the first run after the start."""
    upcoming = next((week for week in schedule.weeks if week.deadline - WEEK_OPENS_BEFORE > report.now), None)
    lines = [messages.t("setup.qna.opens", title=code(config.qna.title.format(week="N")))]
    reminder = config.qna.reminder_before
    lines.append(
        messages.t("setup.qna.reminder", before=_hours(reminder, messages)) if reminder else messages.t("setup.qna.no_reminder")
    )
    lines.append(messages.t("setup.qna.closes"))
    current = schedule.current(report.now)
    if current is not None and current.deadline - WEEK_OPENS_BEFORE <= report.now:
        # Its opening time is past: the start opens it, not a time already gone.
        lines.append(messages.t("setup.qna.current", week=current.number))
    if upcoming is not None:
        opens = messages.when(schedule.local(upcoming.deadline - WEEK_OPENS_BEFORE))
        remind = messages.when(schedule.local(upcoming.deadline - reminder)) if reminder else "—"
        lines.append(messages.t("setup.qna.next", week=upcoming.number, opens=opens, reminder=remind))
    return "\n".join(f"- {line}" for line in lines)


def _hours(value: dt.timedelta, messages: Messages) -> str:
    hours, rest = divmod(int(value.total_seconds()) // 60, 60)
    return messages.t("setup.hours", hours=hours) if not rest else messages.t("setup.minutes", minutes=hours * 60 + rest)


def setup_body(
    config: StudyConfig, schedule: Schedule, report: Report, world: World, messages: Messages, bot_login: str | None = None
) -> str:
    """The setup issue: what the bot read and would do, and how to start it."""
    members = "\n".join(
        messages.t(
            "setup.member",
            name=escape(member.name),
            github=code(f"@{member.github}") if member.github else messages.t("setup.no_login"),
            role=messages.t("setup.leader") if member.maintainer else "",
        )
        for member in config.members
    )
    strangers = unmatched_authors(config, world)
    if strangers:
        authors = messages.t(
            "setup.authors_unmatched",
            authors="\n".join(
                messages.t("setup.author", name=escape(name), email=code(email), commits=count)
                for name, email, count in strangers
            ),
        )
    else:
        authors = messages.t("setup.authors_matched")
    final = [week for week in report.weeks if week.final]
    if final:
        # The fines table's own heading would nest under this section's: the table alone.
        table = render_fines(report, schedule, messages).removeprefix(messages.t("fines.title")).lstrip("\n")
        frozen = messages.t("setup.frozen", weeks=len(final)) + "\n\n" + table
    else:
        frozen = messages.t("setup.nothing_final")
    return messages.t(
        "setup.body",
        protections=setup_protections(world, messages, bot_login),
        marker=marker(0, Kind.SETUP),
        # The calendar's own title sits one level under the issue's title, with the other sections.
        calendar="#" + render_calendar(schedule, config.study.name, messages).strip(),
        members=members,
        authors=authors,
        frozen=frozen,
        rules=_rules_text(config, schedule, messages),
        routes=_routes_text(config, messages),
        blog=_blog_text(config, messages),
        tables=_tables_text(config, messages),
        qna=_issue_text(config, schedule, report, messages),
    )
