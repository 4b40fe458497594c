"""Render the term picture of the example study in a real headless browser and save screenshots.

    python bench/render_picture.py [--out DIR] [--language ko|en] [--chromium PATH]

Builds the bundled example study (the same history ``studybot demo`` replays) in a temp
directory, judges it as of the script's 'now', writes ``term.svg`` and a small HTML page per
colour scheme (light and dark, each embedding the SVG with ``<img>`` the way GitHub shows a
README image), and screenshots each page with headless Chromium. Prints the PNG paths and the
SVG's size as one JSON line. Look at the PNGs: this is how a member sees the README picture.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from studybot.core.config import StudyConfig
from studybot.core.messages import messages_for
from studybot.core.picture import picture_region, term_picture
from studybot.core.report import Report, build_report
from studybot.core.schedule import Schedule
from studybot.shell.demo import build_example

PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="color-scheme" content="{scheme}">
<style>
body {{ margin: 24px; background: {background}; color: {color};
       font-family: -apple-system, 'Segoe UI', 'Noto Sans KR', 'Noto Sans CJK KR', sans-serif; }}
img {{ max-width: 100%; }}
</style></head>
<body><p>README ({scheme})</p><img src="term.svg" alt="{alt}"></body></html>
"""


def judge_example(folder: Path) -> tuple[StudyConfig, Schedule, Report]:
    """The example study judged as of its script's 'now', the way ``studybot demo`` judges it."""
    config, schedule, now = build_example(folder)
    try:
        from studybot.shell.checkout import read_checkout
    except ImportError:  # the read -> decide pipeline
        from studybot.core.decide import decide
        from studybot.core.state import load_state
        from studybot.shell.read import open_checkout, read_world

        world = read_world(config, open_checkout(folder))
        return config, schedule, decide(config, schedule, world, load_state(world.ledger), now).report
    checkout = read_checkout(config, schedule, str(folder))
    return config, schedule, build_report(config, schedule, checkout.evidence, now)


def build_picture(language: str | None) -> tuple[str, str, str]:
    """The example study's SVG, README region and language, as the bot would write them."""
    with tempfile.TemporaryDirectory(prefix="studybot-picture-") as folder:
        config, schedule, report = judge_example(Path(folder))
    lang = language or config.study.language
    messages = messages_for(lang)
    return term_picture(report, schedule, messages), picture_region(report, schedule, messages), lang


def screenshot(chromium: str, page: Path, png: Path, dark: bool, profile: Path) -> None:
    command = [
        chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", f"--screenshot={png}", "--window-size=1000,600",
        "--hide-scrollbars",
    ]
    if dark:
        # Chromium's headless mode otherwise reports a light preference to the SVG's media query.
        command += ["--force-dark-mode", "--blink-settings=preferredColorScheme=0"]
    command.append(page.as_uri())
    subprocess.run(command, check=True, capture_output=True, timeout=120)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="folder for the SVG, pages and PNGs (default: a new temp dir)")
    parser.add_argument("--language", choices=("ko", "en"), help="default: the study's language")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    arguments = parser.parse_args(argv)
    out = arguments.out or Path(tempfile.mkdtemp(prefix="studybot-picture-out-"))
    out.mkdir(parents=True, exist_ok=True)
    svg, region, lang = build_picture(arguments.language)
    (out / "term.svg").write_text(svg, encoding="utf-8")
    (out / "region.md").write_text(region + "\n", encoding="utf-8")
    if not Path(arguments.chromium).exists():
        print(f"no Chromium at {arguments.chromium}: apt-get install -y chromium fonts-noto-cjk", file=sys.stderr)
        return 1
    pngs = {}
    for scheme, background, color in (("light", "#ffffff", "#1f2328"), ("dark", "#0d1117", "#e6edf3")):
        page = out / f"{scheme}.html"
        page.write_text(
            PAGE.format(lang=lang, scheme=scheme, background=background, color=color, alt="term picture"),
            encoding="utf-8",
        )
        png = out / f"term-{scheme}.png"
        with tempfile.TemporaryDirectory(prefix="studybot-chromium-") as profile:
            screenshot(arguments.chromium, page, png, scheme == "dark", Path(profile))
        pngs[scheme] = str(png)
    print(json.dumps({"svg": str(out / "term.svg"), "svg_bytes": len(svg.encode("utf-8")), "png": pngs}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
