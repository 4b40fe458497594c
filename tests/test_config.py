"""The study config: the seed file loads, and every mistake is reported with its line."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest
from helpers import SEED_CONFIG

from studybot.core.config import ConfigError, load_config, parse_config, parse_duration

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
