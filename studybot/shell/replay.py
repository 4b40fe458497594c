"""The example study's history replayed as a repository that has no studybot yet.

``studybot demo`` builds the example with its config; a leader adopting studybot starts from
a repository without one. This replay is that repository: 장서진 creates it with the README
(the table and the rules), then every member commits from their GitHub noreply address, as
``example/history.yml`` says. Tests and the guides' examples run ``init`` on it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytz
import yaml

from studybot.core.config import localize
from studybot.shell.demo import describe, example_file, put_blog, put_link
from studybot.shell.git import Repository, ScriptedCommit

# Who commits as whom: the name git shows and the noreply address GitHub gives each account.
IDENTITIES = {
    "장서진": ("장서진", "82519477+SEOJIN-Lab@users.noreply.github.com"),
    "구미진": ("mijinkoo", "81234567+mijinkoo@users.noreply.github.com"),
    "이은빈": ("binable43", "70012345+binable43@users.noreply.github.com"),
    "한현경": ("shining-arrow", "61234567+shining-arrow@users.noreply.github.com"),
    "문수인": ("m0oon0", "66612345+m0oon0@users.noreply.github.com"),
}


def build_seed_replay(path: Path) -> dt.datetime:
    """Create the replay at ``path``; return the script's 'now' (2022-05-26 00:00 KST)."""
    zone = pytz.timezone("Asia/Seoul")
    script = yaml.safe_load(example_file("history.yml"))
    repository = Repository.create(path)
    readme = example_file("README.md")
    commits = []
    for event in script["events"]:
        if event.get("create"):
            files: dict[str, str | bytes | None] = {"README.md": readme}
        elif "link" in event:
            readme = put_link(readme, **event["link"])
            files = {"README.md": readme}
        else:
            readme = put_blog(readme, **event["blog"])
            files = {"README.md": readme}
        name, email = IDENTITIES[event["by"]]
        at = localize(zone, dt.datetime.fromisoformat(event["at"]))
        committed = localize(zone, dt.datetime.fromisoformat(event["committed"])) if "committed" in event else None
        commits.append(ScriptedCommit(files, event.get("message") or describe(event), name, email, at, committed))
    repository.import_commits(commits)
    return localize(zone, dt.datetime.fromisoformat(script["now"]))
