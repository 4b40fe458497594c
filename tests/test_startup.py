"""Start-up stays light: the command line and `studybot check` never load PyGithub."""

from __future__ import annotations

import json
import subprocess
import sys

from helpers import ROOT, SEED_CONFIG

# Run in a fresh interpreter, so modules imported by other tests do not count.
PROBE = """
import io, json, sys
import studybot.cli
imported = "github" in sys.modules
code = studybot.cli.main(["check", "--config", sys.argv[1]], out=io.StringIO(), environ={})
print(json.dumps({"import": imported, "check": "github" in sys.modules, "code": code}))
"""


def test_cli_import_and_check_do_not_import_pygithub():
    """`import studybot.cli` and `studybot check` on the seed config leave `github` out of sys.modules."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(SEED_CONFIG)],
        capture_output=True, text=True, cwd=ROOT, check=True, timeout=60,
    )
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == {"import": False, "check": False, "code": 0}
