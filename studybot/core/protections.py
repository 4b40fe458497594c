"""Which of the paths money depends on a CODEOWNERS file puts under the leader's review.

Every member can push, so the config, the ledger and the workflows are protected only where the
repository requires a code owner's review for them. The checkout answers this without a token:
GitHub reads the first CODEOWNERS file of ``.github/``, the root and ``docs/``.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping

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
