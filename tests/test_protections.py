"""Whether CODEOWNERS puts the config, the ledger and the workflows under the leader's review."""

from __future__ import annotations

import pytest

from studybot.core.protections import GUARDED, codeowners, unguarded


def test_no_codeowners_file_guards_nothing():
    """Without a CODEOWNERS file every guarded folder is named as unguarded."""
    assert codeowners({"README.md": "# Study"}) is None
    assert unguarded(None) == list(GUARDED)


def test_github_reads_the_first_codeowners_file():
    """The file in .github/ wins over the root's, as on GitHub."""
    files = {"CODEOWNERS": "* @root", ".github/CODEOWNERS": "/config/ @leader"}
    assert codeowners(files) == "/config/ @leader"


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("* @leader", []),
        ("config @leader\n.studybot @leader\n.github/workflows @leader", []),  # a folder named without its slash
        ("/config/ @leader\n.studybot/ @leader\n/.github/workflows/ @leader", []),
        ("config/** @leader  # the study's rules\n.github/ @leader", [".studybot/"]),
        ("/config/ @leader\n/.studybot/", [".studybot/", ".github/workflows/"]),  # no owner: not guarded
        ("/config/* @leader", list(GUARDED)),  # only files directly inside config/
        ("# nothing yet", list(GUARDED)),
    ],
)
def test_rules_that_guard_and_rules_that_do_not(text, missing):
    """A rule with an owner on the folder, a parent or everything guards it; an ownerless or shallow one does not."""
    assert unguarded(text) == missing
