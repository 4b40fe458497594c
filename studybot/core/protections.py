"""Which of the paths money depends on are kept from members' pushes: by rulesets, or by CODEOWNERS.

Every member can push, so the config, the ledger and the workflows are protected only where a
rule of the default branch stops a member's change to them. The branch's active rules, read
from GitHub, answer that (:func:`exposed`). Where GitHub will not give them, the checkout's
CODEOWNERS file is all there is (:func:`unguarded`), which can only say who would review a
change, not whether a review is required. GitHub reads the first CODEOWNERS file of
``.github/``, the root and ``docs/``.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping

from studybot.core.records import BranchRule

GUARDED = ("config/", ".studybot/", ".github/workflows/")
CODEOWNERS_PATHS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")


def codeowners(files: Mapping[str, str | None]) -> str | None:
    """The CODEOWNERS text GitHub uses, or None when the repository has none."""
    return next((files[path] for path in CODEOWNERS_PATHS if files.get(path)), None)


def unguarded(text: str | None) -> list[str]:
    """The guarded folders no CODEOWNERS rule with an owner covers (all of them without a file)."""
    patterns = []
    for line in (text or "").splitlines():
        fields = line.split("#", 1)[0].split()
        if len(fields) >= 2:  # a pattern with no owner removes ownership: it guards nothing
            patterns.append(fields[0])
    return [folder for folder in GUARDED if not any(_covers(pattern, folder) for pattern in patterns)]


def _covers(pattern: str, folder: str) -> bool:
    """Whether a CODEOWNERS pattern owns every file under ``folder`` (``*``, ``/config/``, ``config/**``)."""
    if pattern in ("*", "/*", "**", "/**"):
        return True
    bare = pattern.lstrip("/")
    if bare.endswith("/**"):
        bare = bare[:-2]
    if bare.endswith("/*"):
        return False  # only the files directly inside, not the folders below
    if not bare.endswith("/"):
        bare += "/"
    return folder.startswith(bare) or fnmatch.fnmatch(folder, bare)


def exposed(codeowners_text: str | None, rules: Iterable[BranchRule]) -> list[str]:
    """The guarded folders the branch's active rules leave open to a member's push.

    A folder is closed by a ``file_path_restriction`` rule with a pattern that matches every file
    under it, or by a ``pull_request`` rule that requires code owners' review together with a
    CODEOWNERS rule that gives the folder an owner: then no change lands there without that
    owner. A pull-request rule without code owners' review lets any collaborator approve, and
    CODEOWNERS without such a rule requires nobody's review; neither closes anything alone.

    GitHub matches restricted paths against file paths with fnmatch without documenting its
    flags, so a pattern counts only on the reading that is safe for the study: naming a folder
    open costs the leader a look, calling an open one closed costs the study. ``**`` reaches every
    depth, as GitHub's own example reads it (``test/demo/**/*`` blocks everything in
    ``test/demo/``); ``*`` stops at a ``/``; no wildcard matches a name starting with a dot. So a
    folder is covered by itself or a parent, spelled out or matched name by name, followed by
    ``**`` or ``**/*``: ``config/**``, ``.github/**``, ``.studybot/**/*``, and ``**`` only for
    ``config/`` (the dot folders stay open). ``config/*`` may leave subfolders open,
    a bare ``config/`` may match no file at all, and no path GitHub matches starts with ``/``.
    """
    restricted: list[str] = []
    code_owner_review = False
    for rule in rules:
        if rule.type == "file_path_restriction":
            restricted += [str(path) for path in rule.parameters.get("restricted_file_paths") or ()]
        elif rule.type == "pull_request" and rule.parameters.get("require_code_owner_review") is True:
            code_owner_review = True
    owned = set(GUARDED) - set(unguarded(codeowners_text)) if code_owner_review else set()
    return [
        folder
        for folder in GUARDED
        if folder not in owned and not any(_restricts(pattern, folder) for pattern in restricted)
    ]


def _restricts(pattern: str, folder: str) -> bool:
    """Whether a restricted-path pattern matches every file under ``folder`` (see :func:`exposed`)."""
    head, star, tail = pattern.partition("**")
    if not star or tail not in ("", "/*") or (head and not head.endswith("/")):
        return False
    globs = head.split("/")[:-1]
    names = folder.split("/")[:-1]
    if len(globs) > len(names) or any(name.startswith(".") for name in names[len(globs):]):
        return False
    return all(
        fnmatch.fnmatchcase(name, glob) and (glob.startswith(".") or not name.startswith("."))
        for name, glob in zip(names, globs, strict=False)
    )
