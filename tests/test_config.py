"""The study config: the seed file loads, and every mistake is reported with its line."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest
from helpers import SEED_CONFIG
from pydantic import ValidationError

from studybot.core.config import (
    ConfigError,
    ScheduleConfig,
    config_warnings,
    language_of_locale,
    parse_config,
    parse_duration,
)
from studybot.core.messages import messages_for
from studybot.core.render import render_settlement
from studybot.core.report import Report
from studybot.core.settlement import settle
from studybot.shell.configfile import load_config

MINIMAL = """\
study: {name: Test}
schedule: {weeks: 2, first_deadline: 2024-03-06 00:00}
fines: {late: 1, absent: 2}
members:
  - {name: A}
"""


def problems_of(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config(textwrap.dedent(text), "study.yml")
    return [str(problem) for problem in caught.value.problems]


def test_seed_config_describes_the_seed_study():
    """The shipped config is the seed study: five members, twelve weeks, 3,000/4,000 KRW."""
    config = load_config(SEED_CONFIG)
    assert config.study.name == "Study-MLOps"
    assert [member.name for member in config.members] == ["장서진", "구미진", "이은빈", "한현경", "문수인"]
    assert config.schedule.weeks == 12
    assert (config.fines.late, config.fines.absent) == (3000, 4000)
    assert config.schedule.late_window == dt.timedelta(hours=12)
    assert config.rotation.team_blog.order == ["이은빈", "문수인", "한현경", "장서진", "구미진"]


def test_minimal_config_gets_the_documented_defaults():
    """Leaving out optional sections gives Korean, Seoul time, a 12h late window and last-place exclusion."""
    config = parse_config(MINIMAL)
    assert config.study.language == "ko"
    assert config.study.timezone == "Asia/Seoul"
    assert config.schedule.late_window == dt.timedelta(hours=12)
    assert config.settlement.exclude == "last_place"
    assert config.qna.title == "[{week}주차] Q&A"


def test_five_mistakes_are_all_reported_with_their_lines():
    """A config with five different mistakes lists all five, each at its own line."""
    found = problems_of(
        """\
        study:
          name: Broken
          timezone: Asia/Seol
        schedule:
          weeks: 12
          first_deadline: 2022-04-13 00:00
          late_window: twelve hours
        fines: {late: -5, absent: 4000}
        members:
          - {name: 장서진, githb: SEOJIN-Lab}
        qna:
          title: "{week.__class__} Q&A"
        """
    )
    assert len(found) == 5, found
    assert found[0].startswith("study.yml:3:13:") and "IANA" in found[0]
    assert found[1].startswith("study.yml:7:16:") and "duration" in found[1]
    assert found[2].startswith("study.yml:8:15:") and "fines.late" in found[2]
    assert found[3].startswith("study.yml:10:17:") and "Unknown key 'githb' in members" in found[3]
    assert found[4].startswith("study.yml:12:10:") and "{week}" in found[4]


def test_missing_required_section_points_at_the_file_and_says_add_it():
    """Forgetting fines: says it is required."""
    found = problems_of(
        """\
        study: {name: X}
        schedule: {weeks: 1, first_deadline: 2024-01-03 00:00}
        members: [{name: A}]
        """
    )
    assert found == ["study.yml:1:1: fines is required; add it."]


def test_references_to_unknown_members_and_weeks_are_located():
    """A rotation or excuse naming someone who is not a member is an error at that name."""
    found = problems_of(
        MINIMAL
        + """\
rotation:
  team_blog: {order: [A, B]}
excuses:
  - {week: 9, member: A}
"""
    )
    assert any(line.startswith("study.yml:7:26:") and "'B' is not a member" in line for line in found)
    assert any(line.startswith("study.yml:9:12:") and "week 9 is not a graded week" in line for line in found)


def test_duplicate_keys_are_errors():
    """A key given twice is reported instead of the second silently winning."""
    found = problems_of(MINIMAL + "fines: {late: 3, absent: 4}\n")
    assert any("'fines' is given twice" in line for line in found)


def test_deadline_with_an_offset_is_refused():
    """first_deadline is a local wall time; an offset would contradict study.timezone."""
    found = problems_of(MINIMAL.replace("2024-03-06 00:00", "'2024-03-06T00:00+09:00'"))
    assert any("without an offset" in line for line in found)


def test_yaml_syntax_error_has_a_line():
    """Broken YAML is reported at the line where it breaks."""
    found = problems_of("study: {name: X\nschedule: [\n")
    assert len(found) == 1 and found[0].startswith("study.yml:") and "YAML syntax" in found[0]


def test_yaml_tags_are_not_executed():
    """Python object tags in the config are refused, never constructed."""
    with pytest.raises(ConfigError):
        parse_config("!!python/object/apply:os.system ['true']\n")


def test_missing_file_names_the_path(tmp_path):
    """A config path that does not exist is one problem naming that path."""
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path / "nope.yml")
    assert str(tmp_path / "nope.yml") in str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12h", dt.timedelta(hours=12)), ("30m", dt.timedelta(minutes=30)), ("1d", dt.timedelta(days=1)),
     ("1h30m", dt.timedelta(hours=1, minutes=30))],
)
def test_durations(text, expected):
    """Durations are written the way leaders say them."""
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "12", "h", "12 hours", "-1h"])
def test_bad_durations(text):
    """Anything that is not a d/h/m duration is refused."""
    with pytest.raises(ValueError):
        parse_duration(text)


def test_reference_problems_come_with_field_problems():
    """An unknown name in the rotation is reported in the same run as a bad fine, not after it."""
    found = problems_of(
        MINIMAL.replace("late: 1", "late: -1")
        + "rotation:\n  team_blog: {order: [A, Z]}\nexcuses:\n  - {week: 1, member: Y}\n"
    )
    assert any("fines.late" in line for line in found)
    assert any("'Z' is not a member" in line for line in found)
    assert any("'Y' is not a member" in line for line in found)


def test_an_english_study_gets_english_defaults():
    """language: en without column names reads a 'Week | Homework | Team blog' table and titles in English."""
    config = parse_config(
        MINIMAL.replace("study: {name: Test}", "study: {name: Test, language: en}")
        + "rotation:\n  team_blog: {order: [A]}\nsubmissions:\n  readme: {column: Links}\n"
    )
    assert config.qna.title == "Week {week} Q&A"
    assert config.submissions.readme.week_column == "Week"
    assert config.submissions.readme.column == "Links"  # what the file says wins
    assert config.rotation.team_blog.readme_column == "Team blog"
    assert parse_config(MINIMAL).submissions.readme.week_column == "주차"


# ---- sentences in the study's language -----------------------------------------------------

SEED = SEED_CONFIG.read_text(encoding="utf-8")

MANY_MISTAKES = """\
study: {name: X, language: LANG, timezone: Asia/Seol, currency: won}
schedule: {weeks: twelve, first_deadline: 2022-04-13 00:00, late_window: 12 hours, first_week: -1}
fines: {late: lots, absent: [1]}
settlement: {exclude: nobody}
members:
  - {name: "", github: "SEOJIN Lab", maintainer: maybe, joined_week: 3, left_week: 1}
  - {name: B, emails: x}
submissions: {timing: later, folders: {pattern: "{week}/{who}/"}}
qna: {title: "{week", reminder_before: soon}
excuses: [{week: 1, member: B, extra: 1}]
output: 3
"""

LEAKS = ("Input should", "String should", "Value error", "should be", "List should", "Field required")


@pytest.mark.parametrize("language", ["ko", "en"])
def test_no_raw_validation_text_reaches_the_leader(language):
    """Every problem of a badly broken file is a sentence of our own, never pydantic's wording."""
    found = problems_of(MANY_MISTAKES.replace("LANG", language))
    assert len(found) >= 15, found
    for line in found:
        assert not any(leak in line for leak in LEAKS), line
    if language == "ko":
        assert all(any("\uac00" <= char <= "\ud7a3" for char in line) for line in found), found
    else:
        assert "study.yml:6:12: members.name is empty; write at least 1 character(s)." in found


def test_a_korean_study_is_told_in_korean():
    """A file that says language: ko gets Korean sentences that name the fix."""
    found = problems_of(SEED.replace("timezone: Asia/Seoul", "timezone: Asia/Seol").replace("weeks: 12", "weeks: 열두"))
    assert any(":6:13: study.timezone: 'Asia/Seol'는 IANA 시간대 이름이 아닙니다. Asia/Seoul처럼" in line for line in found), found
    assert any("schedule.weeks: '열두'는 정수가 아닙니다" in line for line in found), found


def test_a_literal_choice_lists_the_allowed_values():
    """language: fr names the value and the allowed ones; the file's language being unreadable, it is English."""
    found = problems_of(MINIMAL.replace("{name: Test}", "{name: Test, language: fr}"))
    assert found == ["study.yml:1:31: study.language: 'fr' is not allowed; write one of ko, en."]


def test_without_a_language_in_the_file_the_callers_language_is_used():
    """A file that does not name its language is told in the language the caller passes (LANG), else English."""
    broken = MINIMAL.replace("late: 1", "late: x")
    with pytest.raises(ConfigError) as korean:
        parse_config(broken, "study.yml", language="ko")
    with pytest.raises(ConfigError) as english:
        parse_config(broken, "study.yml")
    assert korean.value.language == "ko" and "금액으로 읽을 수 없습니다" in str(korean.value)
    assert english.value.language == "en" and "is not an amount" in str(english.value)
    with pytest.raises(ConfigError) as file_wins:
        parse_config(broken.replace("{name: Test}", "{name: Test, language: en}"), "study.yml", language="ko")
    assert file_wins.value.language == "en"


def test_a_yaml_syntax_error_in_a_korean_file_is_korean():
    """Even a file that cannot be parsed is told in the language its language: line names."""
    found = problems_of(SEED.replace("github: SEOJIN-Lab", "github: @SEOJIN-Lab"))
    assert len(found) == 1 and found[0].startswith("study.yml:19:25:")
    assert "@ 없이 쓰거나" in found[0]


def test_a_login_written_with_at_is_accepted():
    """github: "@SEOJIN-Lab" is the login SEOJIN-Lab; a login with a space is a sentence naming the login."""
    config = parse_config(SEED.replace("github: SEOJIN-Lab", 'github: "@SEOJIN-Lab"'))
    assert config.members[0].github == "SEOJIN-Lab"
    found = problems_of(SEED.replace("github: SEOJIN-Lab", 'github: "SEOJIN Lab"'))
    assert len(found) == 1 and "'SEOJIN Lab'는 GitHub 아이디가 아닙니다" in found[0]


# ---- what the file must say ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [("주차/{name}/", "{week}가 없어서"), ("{week}주차/", "{name}이나 {github}가 없습니다"), ("{week}/{name}", "'/'로 끝나야")],
)
def test_a_folder_pattern_needs_the_week_and_the_member(pattern, expected):
    """A week-folder pattern without {week}, or without {name}/{github}, is a problem at the pattern."""
    found = problems_of(SEED.replace('"{week}주차/{name}/"', f'"{pattern}"'))
    assert len(found) == 1 and found[0].startswith("study.yml:27:38:") and expected in found[0], found


def test_a_folder_pattern_with_the_login_is_enough():
    """{github} names the member as well as {name} does."""
    config = parse_config(SEED.replace('"{week}주차/{name}/"', '"week{week}/{github}/"'))
    assert config.submissions.folders.pattern == "week{week}/{github}/"


FOLDERS = MINIMAL + "submissions:\n  folders:\n    enabled: true\n    pattern: PATTERN\n"


def test_a_pattern_list_reads_as_any_of_them_and_one_string_stays_one():
    """A list of patterns for a naming switch; a single string keeps working exactly as before."""
    listed = parse_config(FOLDERS.replace("PATTERN", '["week{week}/{name}/", "week_{week}/{login}/"]'))
    assert listed.submissions.folders.patterns == ("week{week}/{name}/", "week_{week}/{login}/")
    single = parse_config(FOLDERS.replace("PATTERN", '"{week}주차*/{name}/"'))
    assert single.submissions.folders.pattern == "{week}주차*/{name}/"
    assert single.submissions.folders.patterns == ("{week}주차*/{name}/",)


def test_each_bad_pattern_in_a_list_is_told_at_its_own_line():
    text = FOLDERS.replace("PATTERN", '\n      - "week{week}/{name}/"\n      - "week_{week}/{name}"\n      - "{week}//{name}/"'
                                      '\n      - 5\n      - "{week}/{week}/{name}/"')
    found = problems_of(text)
    assert [problem.split(": ", 1)[0] for problem in found] == [
        "study.yml:11:9", "study.yml:12:9", "study.yml:13:9", "study.yml:14:9"]
    assert "'/'" in found[0] and "'.'" in found[1] and "5" in found[2] and "{week}" in found[3]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [("[]", "at least 1"), ("5", "write text here"), ('"{week}/{foo}/"', "{foo}"), ('"../{week}/{name}/"', "'..'")],
)
def test_a_pattern_that_is_no_pattern_is_a_problem_at_the_pattern(pattern, expected):
    (found,) = problems_of(FOLDERS.replace("PATTERN", pattern))
    assert found.startswith("study.yml:9:14:") and expected in found, found


def test_a_schedule_whose_deadlines_all_fall_in_breaks_is_a_problem():
    """Breaks that cover every weekly deadline leave no graded week: a problem at breaks, not an empty calendar."""
    found = problems_of(
        SEED.replace("{from: 2022-04-18, to: 2022-04-29, name: 중간고사}", "{from: 2022-04-01, to: 2200-12-31, name: 방학}")
    )
    assert len(found) == 1 and found[0].startswith("study.yml:14:5:"), found
    assert "평가할 주차가 없습니다" in found[0]


def test_a_schedule_that_runs_into_an_endless_break_says_how_many_weeks_fit():
    """Twelve weeks with an endless break after the third deadline: lower weeks to 3 or less."""
    found = problems_of(
        SEED.replace("{from: 2022-04-18, to: 2022-04-29, name: 중간고사}", "{from: 2022-05-01, to: 2200-12-31, name: 방학}")
    )
    assert len(found) == 1 and found[0].startswith("study.yml:10:10:")
    assert "3주차 다음부터는" in found[0] and "weeks를 3 이하로 줄이거나" in found[0], found


def test_zero_weeks_is_a_located_problem():
    """weeks: 0 is a problem at its value."""
    found = problems_of(MINIMAL.replace("weeks: 2", "weeks: 0"))
    assert found == ["study.yml:2:19: schedule.weeks: 0 is too small; write 1 or more."]


@pytest.mark.parametrize("written", ["3,000원", "3000원", '"3,000"', "3000", "₩3,000", "3,000 KRW"])
def test_amounts_are_read_the_way_leaders_write_them(written):
    """A fine written 3,000원, 3000원, "3,000" or 3000 is 3000."""
    config = parse_config(SEED.replace("fines: {late: 3000, absent: 4000}", f"fines:\n  late: {written}\n  absent: 4000"))
    assert config.fines.late == 3000


def test_an_amount_split_by_a_flow_mapping_comma_is_named():
    """{late: 3,000원, absent: 4000} is not read as a 3-won fine: the leader is told to quote it or drop the comma."""
    found = problems_of(MINIMAL.replace("fines: {late: 1, absent: 2}", "fines: {late: 3,000원, absent: 4000}"))
    assert found == [
        (
            "study.yml:3:15: fines.late: inside {…} the comma of 3,000원 splits the amount in two; "
            "write 3000, or '3,000원' in quotes."
        )
    ]
    found = problems_of(MINIMAL.replace("fines: {late: 1, absent: 2}", "fines: {late: 3,000, absent: 4,000}"))
    assert len(found) == 2 and "write 4000, or '4,000' in quotes" in found[1]


def test_an_amount_that_is_not_one_is_a_sentence():
    """A fine written 'lots' asks for a whole number."""
    found = problems_of(MINIMAL.replace("late: 1", "late: lots"))
    assert found == ["study.yml:3:15: fines.late: 'lots' is not an amount; write a whole number such as 3000, or '3,000' in quotes."]


@pytest.mark.parametrize("window", ["7d", "168h"])
def test_a_late_window_of_seven_days_is_accepted(window):
    """A whole week of late window is allowed: it ends exactly at the next deadline."""
    config = parse_config(SEED.replace("late_window: 12h", f"late_window: {window}"))
    assert config.schedule.late_window == dt.timedelta(days=7)


def test_a_late_window_longer_than_a_week_is_refused():
    """8d is more than the 7 days allowed."""
    found = problems_of(SEED.replace("late_window: 12h", "late_window: 8d"))
    assert len(found) == 1 and found[0].startswith("study.yml:12:16:") and "7d(168h) 이하" in found[0]


def test_a_late_window_overlapping_the_next_deadline_across_dst_is_refused():
    """In Berlin the week of the March change has 167 hours, so a 7d window would overlap the next week."""
    found = problems_of(
        """\
        study: {name: T, timezone: Europe/Berlin, language: en}
        schedule: {weeks: 3, first_deadline: 2024-03-24 12:00, late_window: 7d}
        fines: {late: 1, absent: 2}
        members: [{name: A, maintainer: true}]
        """
    )
    assert found == [
        (
            "study.yml:2:69: schedule.late_window: the late window of 168h is longer than the 167h from week 1's "
            "deadline to the next, so the two weeks would overlap; write 167h or less."
        )
    ]


# ---- names ----------------------------------------------------------------------------------

NFD_NAME = "\u1100\u116e\u1106\u1175\u110c\u1175\u11ab"  # 구미진 as macOS pastes it


def test_a_name_pasted_in_nfd_is_the_same_name():
    """A member name pasted decomposed is stored composed, so the rotation and the README match it."""
    text = SEED.replace("{name: 구미진,", f'{{name: "{NFD_NAME}",')
    assert text != SEED
    config = parse_config(text)
    assert config.members[1].name == "구미진"
    assert config.member(NFD_NAME) is config.members[1]


def test_the_same_name_in_nfd_and_nfc_is_listed_twice():
    """Two members whose names differ only in Unicode form are one name written twice."""
    found = problems_of(SEED.replace("  - {name: 문수인", f'  - {{name: "{NFD_NAME}"}}\n  - {{name: 문수인'))
    assert len(found) == 1 and "'구미진' 멤버가 두 번 있습니다" in found[0], found


# ---- warnings -------------------------------------------------------------------------------


def test_a_study_without_a_maintainer_is_warned_not_refused():
    """No maintainer: true is valid, but config_warnings says nobody can use the commands."""
    config = parse_config(SEED.replace(", maintainer: true", ""))
    assert config_warnings(config) == [
        "maintainer: true인 멤버가 없어서 아무도 /studybot 명령을 쓸 수 없습니다. 스터디장에게 maintainer: true를 붙여 주세요."
    ]
    assert config_warnings(parse_config(SEED)) == []


# ---- the settlement's wording follows settlement.exclude --------------------------------------


def _settled_report(exclude_last_place: bool) -> Report:
    settlement = settle({"A": 4000, "B": 0, "C": 3000}, exclude_last_place)
    return Report(
        study="T", timezone="Asia/Seoul", currency="KRW", now=dt.datetime(2022, 5, 1, tzinfo=dt.UTC),
        weeks=(), tallies={}, settlement=settlement, warnings=(),
    )


@pytest.mark.parametrize("language", ["ko", "en"])
def test_settlement_without_exclusion_never_speaks_of_last_place(language):
    """With settlement: {exclude: none} the heading and summary say the pot is split among everyone."""
    messages = messages_for(language)
    everyone = "\n".join(render_settlement(_settled_report(False), messages, exclude="none"))
    assert "꼴찌" not in everyone and "last place" not in everyone and "excluded" not in everyone
    assert ("전원 1/n" if language == "ko" else "split among everyone") in everyone
    usual = "\n".join(render_settlement(_settled_report(True), messages))
    assert ("꼴찌 제외" if language == "ko" else "last place") in usual


# ---- Edge cases of the study config: every odd value is told at its line, in the study's language ----

BASE = """\
study: {name: Test, language: en}
schedule: {weeks: 2, first_deadline: 2024-03-06 00:00}
fines: {late: 1, absent: 2}
members:
  - {name: A}
"""


def problems_in(text: str | bytes) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, "s.yml")
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            BASE.replace("00:00}", "00:00, late_window: 999999999999d}"),
            "s.yml:2:69: schedule.late_window: '999999999999d' is far too long; write a duration such as 12h.",
        ),
        (
            BASE.replace("late: 1", "late: true"),
            "s.yml:3:15: fines.late: 'true' is not an amount; write a whole number such as 3000, or '3,000' in quotes.",
        ),
        (
            BASE.replace("2024-03-06 00:00", "next wednesday"),
            "s.yml:2:38: schedule.first_deadline: 'next wednesday' is not a local date and time; "
            "write one such as 2022-04-13 00:00.",
        ),
        (
            BASE.replace("2024-03-06 00:00", "5"),
            "s.yml:2:38: schedule.first_deadline: '5' is not a local date and time; write one such as 2022-04-13 00:00.",
        ),
        (
            BASE.replace("2024-03-06 00:00", "2024-03-06T00:00+09:00"),
            "s.yml:2:38: schedule.first_deadline: write the local time without an offset, "
            "not '2024-03-06T00:00+09:00'; study.timezone gives the zone.",
        ),
        (
            BASE.replace("2024-03-06 00:00", "1900-03-06 00:00"),
            "s.yml:2:38: schedule.first_deadline: write a date between 1970 and 2200, not '1900-03-06 00:00'.",
        ),
        (
            BASE.replace("00:00}", "00:00, breaks: [{from: 2024-03-20, to: 2024-03-10}]}"),
            "s.yml:2:65: schedule.breaks: the break ends (2024-03-10) before it starts (2024-03-20); swap 'from' and 'to'.",
        ),
        (
            BASE.replace("{name: A}", "{name: A, joined_week: 3, left_week: 2}"),
            "s.yml:5:5: members: left_week 2 comes before joined_week 3; fix one of them.",
        ),
        (
            BASE + "weekly_log: {heading: 'Week'}\n",
            "s.yml:6:23: weekly_log.heading: the heading must contain {week}, e.g. '{week}주차'",
        ),
        (
            BASE + "notify: {discord: {mentions: {A: 12345}}}\n",
            "s.yml:6:30: notify.discord.mentions: A: write the Discord user id, the 17–20 digit number "
            "from 'Copy User ID' (turn on Developer Mode)",
        ),
        (
            BASE + "notify: {slack: {mentions: {A: alice}}}\n",
            "s.yml:6:28: notify.slack.mentions: A: write the Slack member id such as U012AB3CD "
            "(profile → ⋮ → Copy member ID), not a display name",
        ),
        (
            BASE + "  - {name: B, github: '@Ann'}\n  - {name: C, github: ann}\n",
            "s.yml:7:23: members.github: GitHub login 'ann' is listed twice; each member needs their own.",
        ),
        (
            BASE + "excuses: &x []\nqna: {labels: *x}\n",
            "s.yml:6:10: YAML anchors and aliases (&name, *name) are not allowed; write the value out.",
        ),
        (
            BASE + "excuses: !!set {}\n",
            "s.yml:6:10: Explicit YAML tags (set) are not allowed; remove the !!tag.",
        ),
        (
            BASE + "x: `a\n",
            "s.yml:6:4: YAML syntax: a value cannot begin with '`' unless it is in quotes; put the value in quotes.",
        ),
        (
            BASE + "qna: {? [a, b] : 1}\n",
            "s.yml:6:9: A value cannot be read (while constructing a mapping); write it as plain text or a number.",
        ),
        (
            BASE.replace("late: 1", "late: .inf"),
            "s.yml:3:15: fines.late: 'inf' cannot be used (Input should be a finite number); see docs/config.md.",
        ),
        (
            BASE + "submissions: 5\n",
            "s.yml:6:14: submissions: write keys and values here, for example {key: value} or one 'key: value' per line.",
        ),
        (
            BASE + "submissions: {readme: 5}\n",
            "s.yml:6:23: submissions.readme: write keys and values here, "
            "for example {key: value} or one 'key: value' per line.",
        ),
    ],
)
def test_each_odd_value_is_told_at_its_line(text: str, expected: str) -> None:
    """A leader sees one plain sentence at the right line and column for each odd value."""
    assert problems_in(text) == [expected]


def test_a_swap_naming_a_stranger_in_a_week_outside_the_term_gives_two_problems() -> None:
    """A blog swap for week 9 of a 2-week study, naming no member, reports both mistakes."""
    text = BASE + "rotation: {team_blog: {order: [A], swaps: [{week: 9, member: Z}]}}\n"
    assert problems_in(text) == [
        "s.yml:6:51: rotation.team_blog.swaps.week: week 9 is not a graded week; use 1–2.",
        "s.yml:6:62: rotation.team_blog.swaps.member: 'Z' is not a member; use one of the names under members: A.",
    ]


def test_null_and_true_are_shown_as_the_file_writes_them() -> None:
    """Wrong values are quoted back as YAML spells them: null and true, not None and True."""
    text = BASE.replace("{name: A}", "{name: A, maintainer: null}") + "excuses: [{week: 1, member: A, reason: true}]\n"
    assert problems_in(text) == [
        "s.yml:5:27: members.maintainer: 'null' is not true or false; write true or false.",
        "s.yml:6:40: excuses.reason: write text here, not 'true'.",
    ]


def test_a_split_amount_is_told_once_beside_other_mistakes() -> None:
    """'late: 3,000원' in a flow mapping is one problem at the amount, listed with the file's other mistakes."""
    text = BASE.replace("late: 1", "late: 3,000원").replace("weeks: 2", "weeks: two")
    assert problems_in(text) == [
        "s.yml:2:19: schedule.weeks: 'two' is not a whole number; write one such as 12.",
        "s.yml:3:15: fines.late: inside {…} the comma of 3,000원 splits the amount in two; "
        "write 3000, or '3,000원' in quotes.",
    ]


def test_a_file_too_large_or_not_utf8_is_refused_before_reading() -> None:
    """An oversized or non-UTF-8 config file gets one sentence saying what to do."""
    assert problems_in(b"x" * (300 * 1024)) == ["s.yml:1:1: The config file is larger than 256 KiB; shorten it."]
    assert problems_in(b"\xff\xfe") == ["s.yml:1:1: The config file is not UTF-8 (invalid start byte); save it as UTF-8."]


def test_a_config_path_that_is_a_folder_is_told_as_unreadable(tmp_path: Path) -> None:
    """Pointing the bot at a folder instead of a file says the file cannot be read, with the reason."""
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    (problem,) = caught.value.problems
    assert problem.file == str(tmp_path) and "Is a directory" in problem.message


def test_chat_mentions_with_valid_ids_are_kept() -> None:
    """A Discord id written as a bare number and a Slack member id are kept as text ids."""
    config = parse_config(
        BASE + "notify:\n  discord: {mentions: {A: 123456789012345678}}\n  slack: {mentions: {A: U012AB3CD}}\n"
    )
    assert config.notify.discord is not None and config.notify.discord.mentions == {"A": "123456789012345678"}
    assert config.notify.slack is not None and config.notify.slack.mentions == {"A": "U012AB3CD"}


def test_membership_weeks_and_the_last_week() -> None:
    """A member who joins in week 2 and leaves before week 4 takes part in weeks 2 and 3 only."""
    config = parse_config(BASE.replace("{name: A}", "{name: A, joined_week: 2, left_week: 4}").replace("weeks: 2", "weeks: 5"))
    assert config.last_week == 5
    member = config.members[0]
    assert [week for week in range(1, 6) if member.active_in(week)] == [2, 3]


def test_a_schedule_built_in_code_takes_dates_datetimes_and_durations() -> None:
    """A schedule given a date starts at its midnight; datetimes and timedeltas are taken as they are."""
    from_date = ScheduleConfig(weeks=1, first_deadline=dt.date(2024, 3, 6), late_window=dt.timedelta(hours=3))
    assert (from_date.first_deadline, from_date.late_window) == (dt.datetime(2024, 3, 6), dt.timedelta(hours=3))
    from_datetime = ScheduleConfig(weeks=1, first_deadline=dt.datetime(2024, 3, 6, 23, 59))
    assert from_datetime.first_deadline == dt.datetime(2024, 3, 6, 23, 59)
    assert parse_duration(dt.timedelta(minutes=90)) == dt.timedelta(minutes=90)


def test_a_negative_late_window_is_refused() -> None:
    """A late window below zero, possible only from code, is refused like a malformed duration."""
    with pytest.raises(ValidationError):
        ScheduleConfig(weeks=1, first_deadline=dt.datetime(2024, 3, 6), late_window=dt.timedelta(hours=-1))


@pytest.mark.parametrize(
    ("locale", "language"),
    [("ko_KR.UTF-8", "ko"), ("en-US", "en"), ("EN", "en"), ("fr_FR.UTF-8", None), ("", None), (None, None)],
)
def test_the_message_language_follows_the_locale(locale: str | None, language: str | None) -> None:
    """LANG=ko_KR.UTF-8 gives Korean messages, en-US English, and any other locale no preference."""
    assert language_of_locale(locale) == language


# ---- submissions.timing: the date's name says which date -------------------------------------


@pytest.mark.parametrize(
    ("timing", "clock"),
    [("landed", "landed"), ("author-date", "author-date"), ("commit-date", "commit-date"), ("authored", "commit-date")],
)
def test_timing_names_which_date_and_authored_keeps_meaning_the_commit_date(timing, clock):
    """`authored` was documented as the committer date; it still is, so no study's verdicts move."""
    config = parse_config(SEED.replace("timing: landed ", f"timing: {timing} "))
    assert (config.submissions.timing, config.submissions.clock) == (timing, clock)


def test_check_suggests_the_explicit_name_for_authored():
    """A study still on `authored` is told what it means and which name to write instead."""
    config = parse_config(SEED.replace("timing: landed ", "timing: authored "))
    (note,) = config_warnings(config)
    assert "커밋 날짜" in note and "timing: commit-date" in note and "timing: author-date" in note
    for explicit in ("commit-date", "author-date"):
        assert config_warnings(parse_config(SEED.replace("timing: landed ", f"timing: {explicit} "))) == []


def test_an_unknown_timing_is_refused_with_the_names_it_may_have():
    """A typo such as `author_date` is a located problem listing the four names."""
    found = problems_of(SEED.replace("timing: landed ", "timing: author_date "))
    assert len(found) == 1 and "submissions.timing" in found[0] and "author-date" in found[0], found


def test_the_readme_layout_is_a_table_unless_sections_are_asked_for():
    """`submissions.readme.layout` is `table` by default; `sections` and nothing else is the other."""
    assert parse_config(SEED).submissions.readme.layout == "table"
    sections = SEED.replace("readme: {enabled: true,", "readme: {layout: sections, enabled: true,")
    assert parse_config(sections).submissions.readme.layout == "sections"
    found = problems_of(SEED.replace("readme: {enabled: true,", "readme: {layout: list, enabled: true,"))
    assert len(found) == 1 and "layout" in found[0], found
