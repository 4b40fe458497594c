"""The first run on a repository: one setup issue, and nothing else until a maintainer says start.

Installing studybot mid-term must not freeze past weeks, post comments or commit before a
leader has seen what the bot would do. The first run opens a setup issue showing the calendar,
the members as matched (with the commit authors it could not place), and the verdicts it would
freeze; a maintainer answers ``/studybot start`` (``/studybot 시작``) and the next run does the
weekly work. A study the bot already runs (it has issues or frozen weeks) counts as started.
"""

from __future__ import annotations

from studybot.core.config import StudyConfig
from studybot.core.markers import Kind, marker
from studybot.core.markup import code, escape
from studybot.core.members import Roster
from studybot.core.messages import Messages
from studybot.core.protections import codeowners, exposed, unguarded
from studybot.core.records import BranchRule
from studybot.core.render import render_calendar, render_fines
from studybot.core.report import Report
from studybot.core.schedule import Schedule
from studybot.core.state import State
from studybot.core.world import World


def is_started(state: State) -> bool:
    """Whether the bot may do the weekly work: started by command, or already running here."""
    decisions = state.decisions
    return decisions.started is not None or bool(state.sync.issues or decisions.weeks)


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
    """Which of config/, .studybot/ and .github/workflows/ members can still change, and the fix."""
    missing = unprotected(world)
    paths = ", ".join(f"`{path}`" for path in missing)
    if _rules(world) is None:
        # Only CODEOWNERS speaks then, and it cannot tell whether a review is required: today's wording.
        return messages.t("protections.missing", paths=paths) if missing else messages.t("protections.ok")
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


def setup_body(
    config: StudyConfig, schedule: Schedule, report: Report, world: World, messages: Messages, bot_login: str | None = None
) -> str:
    """The setup issue: what the bot read and would do, and how to start it."""
    members = "\n".join(
        messages.t(
            "setup.member",
            name=escape(member.name),
            github=code(f"@{member.github}") if member.github else "—",
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
    frozen = render_fines(report, schedule, messages) if final else messages.t("setup.nothing_final")
    return messages.t(
        "setup.body",
        protections=protection_text(world, messages, bot_login),
        marker=marker(0, Kind.SETUP),
        calendar=render_calendar(schedule, config.study.name, messages).strip(),
        members=members,
        authors=authors,
        frozen=frozen,
        weeks=len(final),
    )
