"""Every way a run stops speaks the study's language: one error type carrying a message key, rendered by the CLI's fail()."""

from __future__ import annotations

import io
import re

import pytest
from test_language import ALLOWED_LATIN, EN, KO, latin_words, rendered

from studybot.cli import fail
from studybot.core.errors import EXIT_CONFIG, Failure, StudybotError, Text, speaking
from studybot.core.regions import RegionError, replace_region
from studybot.core.state import LedgerError, load_state
from studybot.shell.git import GitError
from studybot.shell.read import CheckoutError
from studybot.shell.remote import GatewayError
from studybot.shell.settings import Settings, SettingsError

# Words an error may keep in Latin letters in Korean: tools and protocols a leader types or searches for.
TECHNICAL = {"git", "HTTP", "API", "MiB", "ISO", "UTF", "Actions", "IANA"}
ERROR_KEYS = sorted(key for key in KO.text if key.startswith(("error.", "cli.")))


def korean_words(key: str) -> set[str]:
    # argparse's own %-placeholders (%(prog)s, %s) are filled by argparse, like {fields}.
    text = re.sub(r"%\([a-z_]+\)[a-z]|%[a-z]", " ", rendered(KO.text[key]))
    return {word.rstrip("-") for word in latin_words(text)}


@pytest.mark.parametrize("key", ERROR_KEYS)
def test_every_error_and_help_text_renders_in_both_languages(key):
    """Each error and help sentence exists in Korean and English with the same fields, and fills in without a gap."""
    assert key in EN.text
    assert rendered(KO.text[key]).strip() and rendered(EN.text[key]).strip()


@pytest.mark.parametrize("key", ERROR_KEYS)
def test_korean_errors_and_help_have_no_english_leftovers(key):
    """A Korean study's error or help text uses Latin letters only for GitHub, README, git, HTTP and code spans."""
    assert korean_words(key) <= ALLOWED_LATIN | TECHNICAL


def test_an_error_is_english_as_a_string_and_korean_when_rendered():
    """str(error) is the English sentence for logs; sentence(KO) is what a Korean study reads."""
    error = LedgerError("error.ledger.json", line=3)
    assert str(error) == "the ledger is not valid JSON (line 3); restore it from git history"
    assert error.sentence(KO) == "벌금 장부가 올바른 JSON이 아닙니다(3번째 줄). git 기록에서 이전 벌금 장부를 되살려 주세요."
    assert isinstance(error, StudybotError) and error.code == 1


def test_the_old_error_names_are_all_one_type():
    """Except clauses written for the old names keep working, and one clause catches them all."""
    for kind in (GitError, CheckoutError, GatewayError, SettingsError, LedgerError, RegionError, Failure):
        assert issubclass(kind, StudybotError)
    assert issubclass(RegionError, ValueError)


def test_raised_errors_carry_keys_not_sentences():
    """The ledger and the README's markers fail with a key and fields; Korean gets Korean."""
    with pytest.raises(LedgerError) as ledger:
        load_state("[]")
    assert ledger.value.key == "error.ledger.not_object"
    assert "JSON 객체가 아닙니다" in ledger.value.sentence(KO)
    with pytest.raises(RegionError) as region:
        replace_region("<!-- studybot:fines:start -->\n", "fines", "x")
    assert region.value.key == "error.region.no_end"
    assert "<!-- studybot:fines:end -->" in region.value.sentence(KO) and "README에" in region.value.sentence(KO)


def test_a_wrapped_error_keeps_its_sentence():
    """A git failure that becomes a checkout failure says the same thing, in either language."""
    git = GitError("error.git.failed", command="log", message=Text("error.git.no_message"))
    checkout = CheckoutError.wrap(git)
    assert isinstance(checkout, CheckoutError)
    assert str(checkout) == "git log failed: no message"
    assert checkout.sentence(KO) == "git log 명령이 실패했습니다: 오류 메시지 없음"


def test_nested_phrases_follow_the_language():
    """What the bot was doing when GitHub failed is itself said in the study's language."""
    error = GatewayError(
        "error.github.failing", 503, status=503, repo="o/r",
        what=Text("error.github.what.get_issues"), attempts=Text("error.github.attempts", count=5),
    )
    assert "while listing issues in o/r (5 attempts)" in str(error)
    assert error.sentence(KO).startswith("o/r에서 이슈 목록 읽기 중 GitHub가 계속 실패했습니다(HTTP 503, 5번 시도)")
    assert error.status == 503


def test_a_secret_is_blotted_out_of_every_field():
    """A token echoed back by a server never reaches the printed sentence in any language."""
    error = GatewayError("error.github.status", 400, status=400, what="x", repo="o/r", said=Text("error.github.said", message="bad tok3n"))
    clean = error.redacted("tok3n")
    assert "tok3n" not in str(clean) and "tok3n" not in clean.sentence(KO) and "***" in str(clean)
    assert clean.status == 400


def test_settings_problems_are_rendered_one_a_line():
    """Every problem with the action's inputs, in the study's language, one a line; the English text is unchanged."""
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({"GITHUB_REPOSITORY": "o/r", "INPUT_DRY_RUN": "maybe", "INPUT_WEEK": "three"})
    assert caught.value.problems[0] == "input dry-run: write true or false, not 'maybe'"
    korean = caught.value.sentence(KO).splitlines()
    assert korean == [
        "`dry-run` 입력: 'maybe' 대신 `true`나 `false`로 쓰세요.",
        "`week` 입력: 'three' 대신 3처럼 0 이상의 주차 번호를 쓰거나 비워 두세요.",
    ]


def test_speaking_gives_errors_the_studys_language_once():
    """An error raised under the study's config takes its language; one that already knows its language keeps it."""
    with pytest.raises(StudybotError) as caught, speaking("ko"):
        raise Failure("error.run.empty_repository")
    assert caught.value.language == "ko"
    with pytest.raises(StudybotError) as kept, speaking("ko"):
        raise Failure("error.run.empty_repository", language="en")
    assert kept.value.language == "en"


@pytest.mark.parametrize(
    ("language", "environ", "expected"),
    [
        ("ko", {}, "studybot: 저장소에 아직 커밋이 없습니다. README를 먼저 커밋하세요.\n"),
        (None, {"LANG": "ko_KR.UTF-8"}, "studybot: 저장소에 아직 커밋이 없습니다. README를 먼저 커밋하세요.\n"),
        (None, {}, "studybot: the repository has no commits yet; commit the README first\n"),
    ],
)
def test_fail_speaks_the_study_then_the_locale_then_english(language, environ, expected):
    """fail() renders in the config's language when one was read, else the locale's, else English."""
    out = io.StringIO()
    code = fail(Failure("error.run.empty_repository", language=language), out, environ)
    assert code == 1 and out.getvalue() == expected


def test_fail_in_actions_writes_one_error_annotation_in_the_studys_language():
    """Inside Actions the sentence becomes an ::error:: annotation, still in Korean."""
    out = io.StringIO()
    fail(Failure("error.run.no_token", language="ko"), out, {"GITHUB_ACTIONS": "true"})
    assert out.getvalue().startswith("::error::GitHub 토큰이 없습니다.")


def test_a_config_failure_keeps_its_exit_code():
    """A config failure exits 2 with the problems as annotations."""
    out = io.StringIO()
    code = fail(Failure("check.failed", code=EXIT_CONFIG, annotations=["a.yml:1:1: x"], language="ko", path="a.yml", count=1), out, {})
    assert code == 2 and out.getvalue() == "a.yml:1:1: x\nstudybot: ❌ a.yml: 설정 오류 1건. 아래를 고친 뒤 다시 실행하세요.\n"


def test_an_empty_secret_leaves_the_sentence_as_it_was():
    """With no token to hide, an error and its nested phrase read exactly as before."""
    said = Text("error.github.said", message="bad")
    error = GatewayError("error.github.status", 400, status=400, what="x", repo="o/r", said=said)
    assert error.redacted("") is error and said.redact("") is said
