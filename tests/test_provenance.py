"""Which config and which ledger are in force, judged by who pushed each change."""

from __future__ import annotations

from helpers import kst

from studybot.core.landing import Landing
from studybot.core.members import is_bot
from studybot.core.provenance import (
    ABSENT,
    Refusal,
    config_in_force,
    ledger_in_force,
    maintainers_of,
    may_write_ledger,
)
from studybot.core.state import AdoptedConfig, Push
from studybot.shell.demo import example_file

LEADER, MEMBER, BOT = "SEOJIN-Lab", "mijinkoo", "github-actions[bot]"
BASE = example_file("study.yml")
ZERO = BASE.replace("fines: {late: 3000, absent: 4000}", "fines: {late: 0, absent: 0}")
PROMOTED = BASE.replace("github: mijinkoo}", "github: mijinkoo, maintainer: true}")


def landed(**who: tuple[str, int]) -> dict[str, Landing]:
    return {sha: Landing(kst(2022, 4, day), actor) for sha, (actor, day) in who.items()}


def test_the_maintainers_of_a_version_and_of_a_broken_one():
    """A version names its maintainers; one that does not validate names none."""
    assert maintainers_of(BASE) == {"seojin-lab"} and maintainers_of("members: [") == frozenset()


def test_without_a_record_the_first_version_stands_and_each_change_needs_a_maintainer():
    """From the first version on, a member's change is refused and the leader's is applied."""
    versions = {"c1": BASE, "c2": ZERO, "c3": PROMOTED}
    trust = config_in_force(["c3", "c2", "c1"], versions, landed(c1=(LEADER, 1), c2=(MEMBER, 2), c3=(LEADER, 3)), None)
    assert trust is not None and trust.adopted.commit == "c3" and trust.adopted.by == LEADER
    assert trust.refused == (Refusal("c2", MEMBER, kst(2022, 4, 2)),)


def test_a_maintainer_a_member_named_themself_cannot_pass_the_next_change():
    """Promoting yourself is refused, so your next change is still a member's and refused too."""
    versions = {"c1": BASE, "c2": PROMOTED, "c3": PROMOTED.replace("excuses: []", "excuses: [{week: 1, member: 구미진, reason: x}]")}
    trust = config_in_force(["c3", "c2", "c1"], versions, landed(c2=(MEMBER, 2), c3=(MEMBER, 3)), None, unknown_ok=True)
    assert trust is not None and trust.adopted.text == BASE and [item.commit for item in trust.refused] == ["c2", "c3"]


def test_unknown_pushes_are_refused_after_a_record_but_pass_without_one():
    """A change the activity log does not know is refused after an adoption, and taken on trust before any."""
    record = AdoptedConfig(text=BASE, commit="c1", by=LEADER, at=kst(2022, 4, 1), how="start")
    versions = {"c1": BASE, "c2": ZERO}
    after = config_in_force(["c2", "c1"], versions, {}, record)
    assert after is not None and after.adopted == record and after.refused == (Refusal("c2", None, None),)
    before = config_in_force(["c2", "c1"], versions, {}, None, unknown_ok=True)
    assert before is not None and before.adopted.text == ZERO and before.refused == ()


def test_a_record_older_than_the_history_read_judges_only_later_pushes():
    """When the adopted commit is not among the changes, only changes pushed after the adoption are judged."""
    record = AdoptedConfig(text=BASE, commit="gone", by=LEADER, at=kst(2022, 4, 5), how="command")
    versions = {"c1": ZERO, "c2": ZERO.replace("late: 0", "late: 1")}
    trust = config_in_force(["c2", "c1"], versions, landed(c1=(MEMBER, 1), c2=(MEMBER, 6)), record)
    assert trust is not None and [item.commit for item in trust.refused] == ["c2"]


def test_deletions_reverts_and_broken_versions():
    """A deletion or a change back to the version in force is no change; a version that does not validate is refused."""
    versions = {"c1": BASE, "c2": None, "c3": BASE, "c4": "members: ["}
    trust = config_in_force(["c4", "c3", "c2", "c1"], versions, landed(c4=(LEADER, 4)), None)
    assert trust is not None and trust.adopted.commit == "c1" and [item.commit for item in trust.refused] == ["c4"]


def test_no_history_means_nothing_to_judge():
    """A config no commit carries (or only deletions) has no provenance to judge."""
    assert config_in_force([], {}, {}, None) is None
    assert config_in_force(["c1"], {"c1": None}, {}, None) is None


def is_bot_account(actor: str | None) -> bool:
    return actor is not None and is_bot(actor, None)


def _ledger(blobs, pushes, *, whole_log=True, head="h"):
    may = may_write_ledger({LEADER.lower()}, is_bot_account)
    return ledger_in_force(head, blobs, pushes, may, is_bot_account, whole_log=whole_log)


def push(before: str, after: str, actor: str, day: int) -> Push:
    return Push(before=before, after=after, at=kst(2022, 4, day), actor=actor)


def test_the_ledger_the_bot_last_pushed_stands():
    """The head's ledger is the bot's newest: nothing to restore."""
    assert _ledger({"b": "x", "h": "x"}, [push("a", "b", BOT, 1), push("b", "h", MEMBER, 2)]).keep is None


def test_a_members_change_after_the_bots_push_is_set_aside_for_the_leaders():
    """A leader's edit stands; a member's later change is refused and the leader's version kept."""
    trust = _ledger({"b": "x", "l": "y", "h": "z"}, [push("a", "b", BOT, 1), push("b", "l", LEADER, 2), push("l", "h", MEMBER, 3)])
    assert trust.keep == "l" and trust.refused == Refusal("h", MEMBER, kst(2022, 4, 3))


def test_a_change_no_push_explains_asks_for_the_whole_log_then_is_set_aside():
    """A head ledger no push read explains asks for the whole log; with the whole log it is restored anyway."""
    pushes = [push("a", "b", BOT, 1)]
    assert _ledger({"b": "x", "h": "z"}, pushes, whole_log=False).more
    assert _ledger({"b": "x", "h": "z"}, pushes).keep == "b"


def test_without_any_push_of_the_bot_the_ledger_is_taken_as_it_is():
    """No bot push in the part of the log read asks for the whole log; none in the whole log leaves the ledger be."""
    pushes = [push("a", "h", MEMBER, 1)]
    assert _ledger({"h": "z"}, pushes, whole_log=False).more
    assert _ledger({"h": "z"}, pushes).keep is None


def test_pushes_of_commits_no_longer_here_and_a_removed_ledger():
    """A push of a commit the checkout lacks is skipped; a member removing the ledger is refused."""
    pushes = [push("a", "b", BOT, 1), push("b", "gone", MEMBER, 2), push("gone", "h", MEMBER, 3)]
    trust = _ledger({"b": "x", "h": ABSENT}, pushes)
    assert trust.keep == "b" and trust.refused is not None and trust.refused.commit == "h"
