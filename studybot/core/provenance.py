"""Provenance: which version of the config and of the ledger is in force, by who pushed each change.

Every member may push, so a file's content proves nothing; the server's record of who pushed
each change does. Two files carry rules and money: the config (``config/study.yml``) and the
ledger (``.studybot/ledger.json``). For each, the changes are judged one push at a time,
oldest first, and a change by someone who may not make it is not applied:

- the config in force is the newest version whose change a maintainer of the version before it
  pushed, or the one a maintainer adopted with ``/studybot start`` or ``/studybot config``;
- the ledger in force is the newest version the bot or a maintainer pushed, counted from the
  bot's newest push in the server's activity log; nothing in the ledger under judgement (its
  cursors, the pushes it lists) is used to judge it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from studybot.core.config import ConfigError, StudyConfig, parse_config
from studybot.core.landing import Landing
from studybot.core.state import AdoptedConfig, Push

ABSENT = ""  # the blob of a file that does not exist at a commit


@dataclass(frozen=True)
class Refusal:
    """A pushed change that is not applied: which commit, who pushed it (None: unknown), when."""

    commit: str
    actor: str | None
    at: dt.datetime | None
    invalid: bool = False  # the version does not validate (whoever pushed it)


@dataclass(frozen=True)
class ConfigTrust:
    """The config in force and the changes since it that were refused."""

    adopted: AdoptedConfig
    refused: tuple[Refusal, ...] = ()


@lru_cache(maxsize=64)
def parsed(text: str) -> StudyConfig | None:
    """A config version as a model, or None when it does not validate."""
    try:
        return parse_config(text)
    except ConfigError:
        return None


def maintainers_of(text: str) -> frozenset[str]:
    """The lower-case logins of the maintainers a config version names."""
    config = parsed(text)
    if config is None:
        return frozenset()
    return frozenset(member.github.lower() for member in config.members if member.maintainer and member.github)


def config_in_force(
    changes: Sequence[str],
    versions: Mapping[str, str | None],
    landed: Mapping[str, Landing],
    record: AdoptedConfig | None,
    *,
    unknown_ok: bool = False,
) -> ConfigTrust | None:
    """The config in force, judged push by push from ``record`` (or from the first version).

    ``changes`` are the commits that changed the file, newest first; ``versions`` its text at
    each. A change is applied when a maintainer of the version in force before it pushed it.
    A change whose push the activity log does not know is refused, unless ``unknown_ok``
    (used without a trusted record, where old pushes are beyond the log's reach) and it makes
    no one a maintainer: a pusher the run cannot identify never raises anyone's rights. None
    when the file has no history to judge.
    """
    if record is not None:
        current = record
        if record.commit in changes:
            candidates = list(changes[: changes.index(record.commit)])
        else:  # adopted before the file's history as read (or the history was rewritten)
            candidates = [sha for sha in changes if record.at is None or sha not in landed or landed[sha].at > record.at]
    else:
        first = next((sha for sha in reversed(changes) if versions.get(sha)), None)
        if first is None:
            return None
        landing = landed.get(first)
        current = AdoptedConfig(
            text=versions[first] or "", commit=first, by=landing.actor if landing else None,
            at=landing.at if landing else None, how="push",
        )
        candidates = list(changes[: changes.index(first)])
    refused: list[Refusal] = []
    for sha in reversed(candidates):
        text = versions.get(sha)
        if text is None or text == current.text:
            continue  # a deletion or a change back to the version in force: nothing to apply
        landing = landed.get(sha)
        actor = landing.actor if landing else None
        # A pusher the log cannot name is taken on trust only for changes that raise nobody's rights.
        unknown = landing is None and unknown_ok and maintainers_of(text) <= maintainers_of(current.text)
        allowed = (actor or "").lower() in maintainers_of(current.text) or unknown
        if allowed and parsed(text) is not None:
            current = AdoptedConfig(text=text, commit=sha, by=actor, at=landing.at if landing else None, how="push")
        else:
            refused.append(Refusal(sha, actor, landing.at if landing else None, invalid=parsed(text) is None))
    return ConfigTrust(current, tuple(refused))


@dataclass(frozen=True)
class LedgerTrust:
    """How the ledger at the head stands.

    ``keep``: the commit whose ledger is in force (None: the head's); ``refused``: the push
    that changed it without the right, when one is known; ``more``: judging needs the
    activity log from its start (the pushes since the ledger's cursor do not reach the bot's
    newest push).
    """

    keep: str | None = None
    refused: Refusal | None = None
    more: bool = False


def ledger_in_force(
    head: str,
    blobs: Mapping[str, str],
    pushes: Sequence[Push],
    may_write: Callable[[str | None], bool],
    is_bot: Callable[[str | None], bool],
    *,
    whole_log: bool,
) -> LedgerTrust:
    """Whether the ledger at ``head`` is the one the bot or a maintainer last pushed.

    ``blobs``: the ledger's blob id at each commit the checkout has (``ABSENT`` where there is
    no ledger); ``pushes``: this run's activity log, in its order (oldest first). Starting from the bot's
    newest push, each later push that changes the ledger's blob must come from the bot or a
    maintainer; the head's blob must be the last such one. With no push of the bot in the log
    read, the whole log is asked for; with none in the whole log either, the ledger is taken as
    it is (nothing to judge it by).
    """
    head_blob = blobs.get(head, ABSENT)
    ordered = list(pushes)
    start = next(
        (index for index in range(len(ordered) - 1, -1, -1) if is_bot(ordered[index].actor) and ordered[index].after in blobs),
        None,
    )
    if start is None:
        if not whole_log:
            return LedgerTrust(more=True)
        return _rewritten_away(ordered, may_write, is_bot)
    trusted_commit = ordered[start].after
    trusted_blob = blobs[trusted_commit]
    refused: Refusal | None = None
    for push in ordered[start + 1 :]:
        blob = blobs.get(push.after)
        if blob is None or blob == trusted_blob:
            continue  # a commit no longer on the branch, or the ledger untouched
        if may_write(push.actor):
            trusted_commit, trusted_blob = push.after, blob
        else:
            refused = refused or Refusal(push.after, push.actor, push.at)
    if head_blob == trusted_blob:
        return LedgerTrust()
    if refused is None and not whole_log:
        return LedgerTrust(more=True)  # a change no push read so far explains
    return LedgerTrust(keep=trusted_commit, refused=refused or Refusal(head, None, None))


def _rewritten_away(
    ordered: Sequence[Push], may_write: Callable[[str | None], bool], is_bot: Callable[[str | None], bool]
) -> LedgerTrust:
    """The bot's pushes are in the log but none of its commits is in the checkout: a history
    rewritten from before them. Unless only the bot and maintainers pushed since, the ledger the
    bot last pushed is restored (GitHub still serves that commit by its SHA)."""
    last = next((index for index in range(len(ordered) - 1, -1, -1) if is_bot(ordered[index].actor)), None)
    if last is None:
        return LedgerTrust()  # the bot never pushed here: nothing to judge the ledger by
    culprit = next((push for push in ordered[last + 1 :] if not may_write(push.actor)), None)
    if culprit is None:
        return LedgerTrust()
    return LedgerTrust(keep=ordered[last].after, refused=Refusal(culprit.after, culprit.actor, culprit.at))


def may_write_ledger(
    maintainers: Collection[str], is_bot: Callable[[str | None], bool]
) -> Callable[[str | None], bool]:
    """Who may change the ledger: the bot's account and the maintainers."""
    lowered = {login.lower() for login in maintainers}
    return lambda actor: is_bot(actor) or (actor or "").lower() in lowered
