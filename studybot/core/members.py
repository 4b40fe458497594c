"""Who is who: the roster built once from the config, name normalisation, bot recognition.

Every place that matches a written name, a login or a commit address to a member, or asks
whether a login may command or is the bot, asks this module.
"""

from __future__ import annotations

import functools
import itertools
import unicodedata
from collections.abc import Collection

from studybot.core.config import StudyConfig


@functools.cache
def _format_characters() -> tuple[frozenset[str], dict[int, None]]:
    """Every format character (Unicode category Cf): as a set to test for, and a table to drop them.

    Zero-width spaces and joiners, direction marks, soft hyphens and the BOM: none shows, so a
    name with one looks the same to every reader and must be the same name to the bot.
    """
    # Format characters live in planes 0, 1 and 14 (the rest are ideographs and private use);
    # scanning only those takes a seventh of the time, paid once per process.
    planes = itertools.chain(range(0x20000), range(0xE0000, 0xF0000))
    codes = [code for code in planes if unicodedata.category(chr(code)) == "Cf"]
    return frozenset(map(chr, codes)), dict.fromkeys(codes)


def visible(text: str) -> str:
    """``text`` without its format characters (Cf); other characters, spaces included, stay.

    A 200-link table cell is read on every change of its row: testing first costs a seventh of
    translating, and almost no cell holds one.
    """
    if text.isascii():
        return text
    found, table = _format_characters()
    return text if found.isdisjoint(text) else text.translate(table)


def normalize(name: str) -> str:
    """A name as compared: without format characters, NFC (macOS pastes NFD), without surrounding spaces."""
    return unicodedata.normalize("NFC", visible(name)).strip()


class Roster:
    """Finds members by the names and logins people write, and tells who may edit what."""

    def __init__(self, config: StudyConfig):
        self.names = {normalize(member.name): member.name for member in config.members}
        self.logins = {member.github.lower(): member.name for member in config.members if member.github}
        self.emails = {
            email.lower(): member.name for member in config.members for email in member.emails
        }
        self.maintainers = {member.name for member in config.members if member.maintainer}
        # Which of a commit's dates says when its author handed something in, where no server
        # time is known (history.commit_date_stamp).
        self.clock = config.submissions.clock
        # Configured maintainers by GitHub login (lower-case) -> name.
        self.maintainer_logins = {
            member.github.lower(): member.name for member in config.members if member.maintainer and member.github
        }

    def member(self, written: str) -> str | None:
        """The member a table entry names: exact name, normalized name, then GitHub login."""
        return self.names.get(written) or self.names.get(normalize(written)) or self.logins.get(
            visible(written).strip().lstrip("@").lower()
        )

    def by_login(self, login: str | None) -> str | None:
        """The member with GitHub account ``login``, if any."""
        return self.logins.get((login or "").strip().lstrip("@").lower())

    def author(self, email: str) -> str | None:
        """The member who authored a commit: the login of a noreply address, or a listed email.

        The author's name is not used: any client can write any name.
        """
        email = email.lower()
        if email.endswith("@users.noreply.github.com"):
            login = email.split("@", 1)[0].split("+", 1)[-1]
            if login in self.logins:
                return self.logins[login]
        return self.emails.get(email)

    def may_edit(self, actor: str | None, member: str) -> bool:
        return actor is not None and (actor == member or actor in self.maintainers)


def is_bot(login: str, bot_login: str | None, trusted: Collection[str] = (), declared: str | None = None) -> bool:
    """Whether a marker by ``login`` is the bot's own.

    The job token writes as github-actions[bot] and an App token as another '[bot]' account,
    which members cannot post as (though their own workflows can). A personal token writes as
    its owner, normally a maintainer: ``trusted`` lists the maintainers' logins, so the bot
    recognises its writes even when a run stopped before its state recorded the login. When the leader declared the login of the bot's GitHub App (``declared``), only that account
    and ``trusted`` count: another workflow's job token then cannot pass for the bot.
    """
    if declared:
        return login == declared or login.lower() in trusted
    return login == bot_login or login.endswith("[bot]") or login.lower() in trusted
