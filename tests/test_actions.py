"""Workflow commands, outputs, job summaries and secret redaction."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pydantic import SecretStr

from studybot.shell import actions as workflow
from studybot.shell.actions import (
    CUT_NOTICE,
    OUTPUT_NAMES,
    SUMMARY_LIMIT,
    Console,
    add_mask,
    append_summary,
    error,
    escape_data,
    escape_property,
    group,
    notice,
    redact,
    set_output,
    stop_commands,
    warning,
    write_outputs,
)
from studybot.shell.settings import Settings


def read_outputs(text: str) -> dict[str, str]:
    """Parse a $GITHUB_OUTPUT file the way the runner does."""
    values: dict[str, str] = {}
    lines = iter(text.split("\n"))
    for line in lines:
        if not line:
            continue
        if "<<" in line:
            name, delimiter = line.split("<<", 1)
            body = []
            for part in lines:
                if part == delimiter:
                    break
                body.append(part)
            else:
                raise AssertionError(f"unterminated value for {name}")
            values[name] = "\n".join(body)
        else:
            name, value = line.split("=", 1)
            values[name] = value
    return values


# ---------------------------------------------------------------- escaping


def test_escape_data_encodes_percent_and_line_breaks():
    """Messages with newlines or percent signs arrive intact in annotations."""
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_data("a:b,c") == "a:b,c"


def test_escape_property_also_encodes_colon_and_comma():
    """File names and titles with ':' or ',' cannot split the property list."""
    assert escape_property("C:\\a,b%\n") == "C%3A\\a%2Cb%25%0A"


def test_percent_is_escaped_first():
    """An already-escaped-looking text is not decoded by the runner into something else."""
    assert escape_data("%0A") == "%250A"


# ---------------------------------------------------------------- annotations


def test_error_with_location_and_title():
    """An error annotation points at the file, line and column of the problem."""
    out = io.StringIO()
    message = "unknown key 'fine'\nwrite 'fines'"
    error(message, file="config/study.yml", line=3, col=5, title="Config, line 3", out=out)
    assert out.getvalue() == (
        "::error title=Config%2C line 3,file=config/study.yml,line=3,col=5::"
        "unknown key 'fine'%0Awrite 'fines'\n"
    )


def test_warning_and_notice_without_properties():
    """Annotations without a location are plain commands."""
    out = io.StringIO()
    warning("late link", out=out)
    notice("week 3 is final", out=out)
    assert out.getvalue() == "::warning::late link\n::notice::week 3 is final\n"


def test_annotation_end_positions():
    """An annotation can cover a range of lines and columns."""
    out = io.StringIO()
    error("bad table", file="README.md", line=10, end_line=12, col=1, end_column=4, out=out)
    assert out.getvalue() == "::error file=README.md,line=10,endLine=12,col=1,endColumn=4::bad table\n"


def test_default_stream_is_looked_up_when_called(capsys):
    """Annotations go to whatever stdout is at the time, not at import."""
    notice("hello")
    assert capsys.readouterr().out == "::notice::hello\n"


# ---------------------------------------------------------------- grouping and masking


def test_group_folds_lines_and_closes_on_error():
    """A log group is closed even when the block inside fails."""
    out = io.StringIO()
    with pytest.raises(RuntimeError), group("Week 3: results", out):
        print("inside", file=out)
        raise RuntimeError("boom")
    assert out.getvalue() == "::group::Week 3: results\ninside\n::endgroup::\n"


def test_add_mask_masks_the_value_and_each_line_of_a_multiline_secret():
    """A multi-line secret is hidden whole and line by line."""
    out = io.StringIO()
    add_mask("ghs_secret", out)
    add_mask("-----BEGIN KEY-----\nabcdefgh\n-----END KEY-----", out)
    add_mask("", out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "::add-mask::ghs_secret"
    assert lines[1] == "::add-mask::-----BEGIN KEY-----%0Aabcdefgh%0A-----END KEY-----"
    assert lines[2:] == [
        "::add-mask::-----BEGIN KEY-----",
        "::add-mask::abcdefgh",
        "::add-mask::-----END KEY-----",
    ]


def test_stop_commands_brackets_untrusted_text():
    """Text members wrote cannot issue workflow commands while printed inside the block."""
    out = io.StringIO()
    with stop_commands(out):
        print("::add-mask::everything", file=out)
    first, middle, last = out.getvalue().splitlines()
    token = first.removeprefix("::stop-commands::")
    assert token.startswith("studybot-") and len(token) > 20
    assert middle == "::add-mask::everything"
    assert last == f"::{token}::"


# ---------------------------------------------------------------- redaction


def test_redact_replaces_every_occurrence():
    """Every copy of a secret in a text is replaced with ***."""
    assert redact("a ghs_x b ghs_x", ["ghs_x"]) == "a *** b ***"


def test_redact_prefers_the_longest_secret_and_ignores_empty_ones():
    """A secret containing another is hidden whole, and empty secrets change nothing."""
    assert redact("token=abcdef", ["abc", "abcdef", "", None]) == "token=***"
    assert redact("nothing here", []) == "nothing here"


def test_redact_accepts_secret_strings():
    """Pydantic secret values can be passed as they are."""
    assert redact("Bearer ghs_abc", [SecretStr("ghs_abc")]) == "Bearer ***"


def test_redact_treats_secrets_as_text_not_patterns():
    """Secrets with regex characters are matched literally."""
    assert redact("a.b a+b", ["a.b"]) == "*** a+b"


# ---------------------------------------------------------------- outputs


def test_set_output_uses_the_heredoc_form_for_multiline_values(tmp_path):
    """Multi-line values reach the next step unchanged."""
    path = tmp_path / "output"
    set_output(path, "summary", "week 3: 2 late\nweek 4: 1 absent")
    set_output(path, "changed", True)
    set_output(path, "report", "studybot-report.json")
    text = path.read_text("utf-8")
    assert text.startswith("summary<<ghadelimiter_")
    assert read_outputs(text) == {
        "summary": "week 3: 2 late\nweek 4: 1 absent",
        "changed": "true",
        "report": "studybot-report.json",
    }


def test_set_output_keeps_non_ascii_and_empty_values(tmp_path):
    """Korean text and empty values are written exactly."""
    path = tmp_path / "output"
    set_output(path, "summary", "3주차: 지각 1명, 3,000원")
    set_output(path, "report", "")
    set_output(path, "changed", None)
    assert read_outputs(path.read_text("utf-8")) == {
        "summary": "3주차: 지각 1명, 3,000원",
        "report": "",
        "changed": "",
    }


def test_set_output_refuses_a_value_holding_the_delimiter(tmp_path):
    """A value cannot end its heredoc early and forge another output."""
    path = tmp_path / "output"
    with pytest.raises(ValueError, match="delimiter"):
        set_output(path, "summary", "x\nEOF\nchanged=true", delimiter="EOF")
    assert not path.exists()


@pytest.mark.parametrize("name", ["", "bad name", "a\nb", "a<<b", "a=b"])
def test_set_output_refuses_bad_names(tmp_path, name):
    """Names that would break the output file are refused."""
    with pytest.raises(ValueError):
        set_output(tmp_path / "output", name, "x")


def test_write_outputs_knows_only_the_declared_names(tmp_path):
    """Only outputs action.yml declares can be set."""
    path = tmp_path / "output"
    write_outputs(path, {"changed": False, "report": "r.json", "summary": "ok"})
    assert read_outputs(path.read_text("utf-8")) == {"changed": "false", "report": "r.json", "summary": "ok"}
    with pytest.raises(ValueError, match="not declared"):
        write_outputs(path, {"changd": True})
    assert OUTPUT_NAMES == ("changed", "report", "summary")


# ---------------------------------------------------------------- job summary


def test_append_summary_appends_when_it_fits(tmp_path):
    """Summaries are appended as written while they fit."""
    path = tmp_path / "summary.md"
    assert append_summary(path, "# Week 3\n") is True
    assert append_summary(path, "| 이름 | 결과 |\n") is True
    assert path.read_text("utf-8") == "# Week 3\n| 이름 | 결과 |\n"


def test_append_summary_cuts_multibyte_text_at_one_mebibyte(tmp_path):
    """A huge Korean summary is cut on a whole line below 1 MiB with a note saying so."""
    path = tmp_path / "summary.md"
    line = "| 장서진 | 지각 | 3,000원 |\n"  # multibyte: 3 bytes per Hangul syllable
    markdown = line * (2 * SUMMARY_LIMIT // len(line.encode("utf-8")))
    assert append_summary(path, markdown) is False
    data = path.read_bytes()
    assert len(data) <= SUMMARY_LIMIT
    text = data.decode("utf-8")  # would raise if a character were split
    assert text.endswith(CUT_NOTICE)
    body = text.removesuffix(CUT_NOTICE)
    assert body and all(row + "\n" == line for row in body.rstrip("\n").split("\n"))


def test_append_summary_counts_what_is_already_there(tmp_path):
    """Earlier parts of the summary count against the same limit."""
    path = tmp_path / "summary.md"
    path.write_bytes(b"x" * (SUMMARY_LIMIT - 100))
    assert append_summary(path, "가" * 1000) is False
    assert path.stat().st_size <= SUMMARY_LIMIT
    path.read_bytes().decode("utf-8")


def test_append_summary_writes_nothing_after_it_was_cut(tmp_path):
    """Once the summary has been cut, later parts are not appended after the note."""
    path = tmp_path / "summary.md"
    append_summary(path, "a\n" * SUMMARY_LIMIT)
    size = path.stat().st_size
    assert append_summary(path, "late\n") is False
    assert path.stat().st_size == size


def test_append_summary_without_room_for_the_note_writes_nothing(tmp_path):
    """A summary already at the limit is left alone."""
    path = tmp_path / "summary.md"
    path.write_bytes(b"x" * SUMMARY_LIMIT)
    assert append_summary(path, "more") is False
    assert path.stat().st_size == SUMMARY_LIMIT


def test_append_summary_closes_an_open_code_fence(tmp_path):
    """A cut inside a code block still shows the note as text, not code."""
    path = tmp_path / "summary.md"
    assert append_summary(path, "```\n" + "line\n" * 100, limit=200) is False
    text = path.read_text("utf-8")
    assert len(text.encode("utf-8")) <= 200
    assert text.endswith("\n```\n" + CUT_NOTICE)


def test_append_summary_custom_note(tmp_path):
    """The note can be given in the study's language."""
    path = tmp_path / "summary.md"
    note = "\n\n> 요약이 너무 길어 잘렸습니다.\n"
    append_summary(path, "가나다\n" * 100, limit=150, notice_text=note)
    text = path.read_text("utf-8")
    assert text.endswith(note) and len(text.encode("utf-8")) <= 150


# ---------------------------------------------------------------- console


def test_console_outside_actions_prints_plain_lines():
    """Run locally, errors read like a compiler's, with no ::commands."""
    out = io.StringIO()
    console = Console(out)
    console.error("unknown key 'fine'", file="config/study.yml", line=3, col=5)
    console.warning("week 3 row outside the schedule")
    console.notice("nothing to do", title="studybot")
    with console.group("Week 3"):
        console.print("inside")
    with console.untrusted():
        console.print("::warning::forged")
    console.add_mask("ghs_secret")
    console.print("token ghs_secret")
    assert out.getvalue().splitlines() == [
        "error: config/study.yml:3:5: unknown key 'fine'",
        "warning: week 3 row outside the schedule",
        "notice: studybot: nothing to do",
        "== Week 3 ==",
        "inside",
        "::warning::forged",
        "token ***",
    ]


def test_console_in_actions_writes_commands_and_redacts():
    """In Actions the console writes annotations and masks, and never prints a secret."""
    out = io.StringIO()
    console = Console(out, actions=True, secrets=["ghs_secret"])
    console.error("bad token ghs_secret", file="a.yml", line=1)
    with console.group("Plan"):
        console.print("open issue")
    console.add_mask("other-secret")
    console.print("other-secret")
    assert out.getvalue().splitlines() == [
        "::error file=a.yml,line=1::bad token ***",
        "::group::Plan",
        "open issue",
        "::endgroup::",
        "::add-mask::other-secret",
        "***",
    ]


def test_console_from_settings_masks_the_token_and_finds_files(tmp_path):
    """A console built from the settings masks the token and writes outputs and summary."""
    token = "ghs_tokenvalue123"
    settings = Settings.from_env(
        {
            "GITHUB_REPOSITORY": "octocat/study",
            "GITHUB_ACTIONS": "true",
            "INPUT_GITHUB_TOKEN": token,
            "GITHUB_OUTPUT": str(tmp_path / "output"),
            "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        }
    )
    out = io.StringIO()
    console = Console.from_settings(settings, out)
    assert out.getvalue() == f"::add-mask::{token}\n"
    assert console.write_outputs({"changed": True, "report": "r.json", "summary": f"used {token}"})
    assert console.append_summary(f"# Done with {token}\n")
    assert read_outputs((tmp_path / "output").read_text("utf-8"))["summary"] == "used ***"
    assert (tmp_path / "summary.md").read_text("utf-8") == "# Done with ***\n"
    assert token not in (tmp_path / "output").read_text("utf-8")


def test_console_without_files_skips_outputs_and_summary():
    """Outside Actions there is no output file or summary, and nothing fails."""
    console = Console(io.StringIO())
    assert console.set_output("changed", True) is False
    assert console.write_outputs({"changed": True}) is False
    assert console.append_summary("# x") is False


def test_module_reads_no_environment():
    """The module takes its streams and files as arguments instead of reading os.environ."""
    source = Path(workflow.__file__).read_text(encoding="utf-8")
    assert "os.environ" not in source and "getenv" not in source
