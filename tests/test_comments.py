"""Reading Q&A comments: homework links (SPEC §3 source 2), `/blog` posts and `/studybot` commands."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studybot.core.comments import (
    SUBMISSION_REACTION,
    VERB_ALIASES,
    Command,
    CommandError,
    CommandProblem,
    CommentKind,
    CommentVerdict,
    Verb,
    blog_link,
    carries_marker,
    classify_comment,
    parse_amount,
    parse_commands,
    submission_links,
)
from studybot.core.evidence import link_problem

POST = "https://velog.io/@seojin/mlops-week3"


def only(body: str) -> Command | CommandError:
    """The single command a comment holds."""
    (command,) = parse_commands(body)
    return command


# Source 2: what a comment submits.


@pytest.mark.parametrize("body", [POST, f"<{POST}>", f"[3주차 과제]({POST})", f"  \n{POST}\n\n", f"[글](<{POST}>)"])
def test_a_comment_that_is_only_a_link_submits_it(body):
    """A comment holding nothing but a link — bare, in angle brackets or as a Markdown link — hands it in."""
    assert submission_links(body) == (POST,)


@pytest.mark.parametrize(
    "body",
    [
        f"제출 {POST}",
        f"제출: {POST}",
        f"제출합니다 {POST}",
        f"submit: <{POST}>",
        f"SUBMIT {POST}",
        f"/submit [글]({POST})",
        f"/Submit: [글]({POST} \"제목\")",
        f"- 제출: {POST}",
        f"**제출**: {POST}",
    ],
)
def test_a_submit_line_hands_in_its_link(body):
    """A line starting with 제출, submit or /submit hands in the link on it."""
    assert submission_links(body) == (POST,)


@pytest.mark.parametrize(
    "body",
    [
        f"과제 제출합니다!\n{POST}",
        f"3주차 과제 제출합니다 {POST}",
        f"{POST} 제출합니다",
        f"과제 링크입니다 {POST}",
        f"늦어서 죄송합니다 ㅠㅠ {POST}",
        f"과제 제출했습니다~\r\n\r\n[3주차]({POST})",
        f"Submitted {POST}",
        f"Week 3 homework: {POST}",
        f"hw3 {POST}",
        f"my assignment -> {POST}",
        f"지각 제출입니다.. {POST}",
        f"질문 없습니다! 과제 제출합니다 {POST}",
    ],
)
def test_members_natural_ways_of_handing_in_count(body):
    """A link with a submission word anywhere (제출, 과제, submit, hw…), or after an apology for being late, hands it in."""
    verdict = classify_comment(body)
    assert (verdict.kind, verdict.links, verdict.uncounted) == (CommentKind.SUBMISSION, (POST,), ())
    assert submission_links(body) == (POST,)
    assert not verdict.needs_reply


@pytest.mark.parametrize(
    "body",
    [
        f"{POST}\n{POST}/2",
        f"- {POST}\n- {POST}/2",
        f"1. {POST}\n2. {POST}/2",
        f"{POST}<br>{POST}/2",
        f"[1번]({POST})&nbsp;[2번]({POST}/2)",
        f"[1번]({POST}), [2번]({POST}/2)",
    ],
)
def test_a_comment_of_only_links_hands_in_its_first_link(body):
    """Links alone — one a line, bulleted, numbered, or joined by `<br>`, `&nbsp;` or commas — hand in the
    first; the others are noted so the member and the leader can see them."""
    verdict = classify_comment(body)
    assert verdict.kind is CommentKind.SUBMISSION
    assert submission_links(body) == (POST,)
    assert verdict.extra == (POST + "/2",) and verdict.uncounted == (POST + "/2",)


@pytest.mark.parametrize(
    ("body", "mentions"),
    [
        (f"과제 제출 이렇게 하면 되나요? {POST}", True),
        (f"이 부분 어떻게 푸셨나요?\n{POST}", False),
        (f"질문 있습니다. 3번 과제 이렇게 하는 게 맞나요\n{POST}", True),
        (f"이거 왜 안 될까요 {POST}", False),
        (f"과제에서 에러가 나는데 혹시 아시는 분？ {POST}", True),
        (f"How do I submit? {POST}", True),
        (f"늦어서 죄송한데 이거 제출로 인정되나요? {POST}", True),
        (f"궁금한 점: {POST}", False),
    ],
)
def test_a_question_that_shows_a_link_hands_nothing_in(body, mentions):
    """A line that asks something (?, 질문, 궁금, 어떻게, 왜, …나요/까요, how, why) does not hand in its link."""
    verdict = classify_comment(body)
    assert verdict.kind is CommentKind.QUESTION_WITH_LINK
    assert verdict.links == () and verdict.uncounted == (POST,)
    assert verdict.mentions_submission is mentions
    # Only a question about handing in gets the "not counted" reply; other questions are just questions.
    assert verdict.needs_reply is mentions
    assert verdict.reply_key == ("comment.uncounted.question" if mentions else None)


def test_a_question_after_the_submission_leaves_the_submission_counted():
    """제출 on its own line, then a question on another line: the submitted link counts, the question's link does not."""
    body = f"과제 제출합니다!\n{POST}\n\n그런데 3번은 어떻게 푸셨나요? https://example.com/q"
    verdict = classify_comment(body)
    assert verdict.kind is CommentKind.SUBMISSION
    assert verdict.links == (POST,) and verdict.uncounted == ("https://example.com/q",)


@pytest.mark.parametrize("body", [f"이번 주 참고 자료: {POST}", f"see {POST} for the answer", f"좋은 글 공유드려요 {POST}"])
def test_a_shared_link_gets_a_reply_saying_how_to_hand_it_in(body):
    """A link shared without a submission word is not counted, and the member is told how to hand it in."""
    verdict = classify_comment(body)
    assert verdict == CommentVerdict(CommentKind.LINK_WITHOUT_SUBMISSION_WORD, (), (POST,))
    assert verdict.needs_reply and verdict.reply_key == "comment.uncounted.no_word"


def test_blog_and_command_comments_are_not_submissions():
    """`/blog <link>` names the post and `/studybot` lines are commands: neither hands in homework or earns a reply."""
    blog = classify_comment(f"이번 주 팀블로그입니다\n/blog {POST}")
    assert (blog.kind, blog.links, blog.blog, blog.needs_reply) == (CommentKind.BLOG, (), POST, False)
    command = classify_comment("/studybot excuse @mijinkoo 3 진단서 https://example.com/doc")
    assert (command.kind, command.links, command.needs_reply) == (CommentKind.COMMAND, (), False)


def test_a_submission_and_a_blog_post_in_one_comment_are_both_read():
    """A comment that hands in homework and names the blog post does both; the blog link is not homework."""
    verdict = classify_comment(f"과제 제출합니다 {POST}\n/blog https://example.com/blog")
    assert (verdict.kind, verdict.links, verdict.blog) == (CommentKind.SUBMISSION, (POST,), "https://example.com/blog")


@pytest.mark.parametrize(
    ("body", "kind"),
    [("좋은 하루 보내세요!", CommentKind.NO_LINK), ("제출 내일 할게요", CommentKind.NO_LINK),
     (f"> 제출 {POST}\n\n멋져요", CommentKind.NO_LINK),
     (f"제출 `{POST}`", CommentKind.NO_LINK)],
)
def test_comments_without_own_links_are_neither_counted_nor_answered(body, kind):
    """Conversation, quotes and code hand nothing in and get no reply."""
    verdict = classify_comment(body)
    assert verdict.kind is kind and verdict.links == () and not verdict.needs_reply


def test_the_submission_reaction_is_a_github_reaction():
    """An accepted submission is acknowledged with one of the reactions GitHub accepts, not the command's 👍."""
    assert SUBMISSION_REACTION in {"+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes"}
    assert SUBMISSION_REACTION != "+1"


def test_decomposed_hangul_keywords_still_count():
    """제출 and /블로그 typed as decomposed Hangul (as some Macs send them) work like the usual spelling."""
    assert submission_links(unicodedata.normalize("NFD", "제출합니다: ") + POST) == (POST,)
    assert blog_link(unicodedata.normalize("NFD", "/블로그 ") + POST) == POST


def test_a_submit_line_inside_a_longer_comment_counts():
    """Chatter around a submit line does not stop the link on it from counting."""
    body = f"늦어서 죄송합니다!\r\n제출 {POST}\r\n질문은 아래에 남길게요. https://example.com/question"
    assert submission_links(body) == (POST,)


@pytest.mark.parametrize(
    "body",
    [
        f"이번 주 참고 자료: {POST}",
        f"see {POST} for the answer",
        "제출",
        "제출 내일 할게요",
    ],
)
def test_a_link_inside_prose_is_not_a_submission(body):
    """A link mentioned in conversation, or a submit word without a link, hands nothing in."""
    assert submission_links(body) == ()


@pytest.mark.parametrize(
    "body",
    [
        f"> 제출 {POST}\n\n멋지네요!",
        f"> {POST}",
        f"  > submit: {POST}\n좋아요",
    ],
)
def test_quoting_someone_elses_submission_does_not_submit_it(body):
    """Replying with a quote of another member's submission hands nothing in for the replier."""
    assert submission_links(body) == ()


def test_own_link_under_a_quote_still_counts():
    """A quote-reply whose own text is only a link hands in that link, not the quoted one."""
    assert submission_links(f"> 제출 https://example.com/theirs\n\n{POST}") == (POST,)


@pytest.mark.parametrize(
    "body",
    [
        f"```\n제출 {POST}\n```",
        f"~~~~md\n{POST}\n~~~~",
        f"````\n```\n제출 {POST}\n````",
        f"제출 `{POST}`",
        f"`{POST}`",
        f"```\n{POST}\n```",
        f"```\n제출 {POST}",
        f"예시:\n```\n{POST}\n```\n{POST}",
    ],
)
def test_links_in_code_are_not_submitted(body):
    """Examples in code blocks or inline code hand nothing in, even when the fence is never closed."""
    assert submission_links(body) == ()


def test_text_after_a_closed_fence_counts_again():
    """A submit line after a finished code block still counts."""
    body = f"```python\nprint('제출 https://example.com/x')\n```\n제출 {POST}"
    assert submission_links(body) == (POST,)


def test_a_hidden_marker_does_not_make_a_comment_the_bots():
    """Whose comment it is is decided by receipt, not by text: a marker someone edited into a
    member's comment is hidden text, and the member's own words still count."""
    body = f"<!-- studybot:week=3:kind=results -->\n제출 {POST}\n{POST}"
    assert submission_links(body) == (POST,)
    assert blog_link(f"<!-- studybot:week=3 -->\n/blog {POST}") == POST
    marked = "<!-- studybot:kind=help -->\n/studybot recheck"
    assert [item.verb for item in parse_commands(marked)] == [Verb.RECHECK] and carries_marker(marked)  # read, then refused


def test_hidden_template_hints_are_ignored():
    """An issue-template hint inside an HTML comment hands nothing in; the member's own line does."""
    body = f"<!-- 예: 제출 https://example.com/sample -->\n제출 {POST}"
    assert submission_links(body) == (POST,)


@pytest.mark.parametrize(
    ("body", "target"),
    [
        ("javascript:alert(1)", "javascript:alert(1)"),
        ("제출 [과제](javascript:alert(1))", "javascript:alert(1)"),
        ("submit [과제](../week3/README.md)", "../week3/README.md"),
        ("제출 [과제](#top)", "#top"),
        ("제출 www.example.com", "www.example.com"),
        ("제출 https://example.com/" + "a" * 2100, "https://example.com/" + "a" * 2100),
    ],
)
def test_invalid_links_are_returned_so_the_member_can_be_warned(body, target):
    """Unsafe, relative or overlong links come back as written so the caller can warn about them."""
    assert submission_links(body) == (target,)
    assert link_problem(target) is not None


def test_the_first_link_counts_and_the_others_are_noted_in_order():
    """Several links: the first counts; the others come back in the order written, each once."""
    body = f"제출 {POST}, https://github.com/a/b\nsubmit: {POST}\n/submit <https://github.com/a/c>"
    verdict = classify_comment(body)
    assert verdict.links == (POST,)
    assert verdict.extra == ("https://github.com/a/b", "https://github.com/a/c")


def test_an_invalid_first_link_gives_way_to_the_first_valid_one():
    """`제출 javascript:… <link>`: the valid link counts; the invalid one is only noted."""
    verdict = classify_comment(f"제출 javascript:alert(1) {POST}")
    assert verdict.links == (POST,) and verdict.extra == ("javascript:alert(1)",)


@pytest.mark.parametrize(
    ("body", "target"),
    [
        (f"제출 {POST}.", POST),
        (f"제출 ({POST})", POST),
        ("제출 https://en.wikipedia.org/wiki/MLOps_(practice)", "https://en.wikipedia.org/wiki/MLOps_(practice)"),
        ("제출 [글](https://en.wikipedia.org/wiki/A_(b))", "https://en.wikipedia.org/wiki/A_(b)"),
    ],
)
def test_sentence_punctuation_is_not_part_of_a_bare_link(body, target):
    """A full stop or closing bracket after a bare link stays out of it; balanced parentheses stay in."""
    assert submission_links(body) == (target,)


@pytest.mark.parametrize("body", ["[아직]()", "제출 [과제]()", "<br>", "lol:)", "", "   \n\r\n"])
def test_nothing_that_looks_like_a_link_submits_nothing(body):
    """Empty links, HTML tags and emoticons hand nothing in and raise no warning."""
    assert submission_links(body) == ()


def test_images_are_not_submissions():
    """A pasted screenshot on a submit line is not a homework link."""
    assert submission_links("제출 ![화면](https://user-images.githubusercontent.com/1.png)") == ()
    assert submission_links("![화면](https://example.com/a_(1).png)") == ()
    assert submission_links(f"제출 ![화면](https://example.com/1.png) {POST}") == (POST,)


# `/blog`


@pytest.mark.parametrize(
    "body",
    [
        f"/blog {POST}",
        f"/blog <{POST}>",
        f"/BLOG: [이번 주 글]({POST})",
        f"/블로그 {POST}",
        f"이번 주 팀블로그 올렸습니다!\r\n/blog {POST}\r\n",
        f"  /blog {POST} (늦었어요)",
    ],
)
def test_blog_command_names_the_post(body):
    """`/blog <link>` or `/블로그 <link>` on its own line names the week's team-blog post."""
    assert blog_link(body) == POST


@pytest.mark.parametrize(
    "body",
    [
        "/blog",
        "/blog 내일 올릴게요",
        f"/blogpost {POST}",
        f"> /blog {POST}",
        f"```\n/blog {POST}\n```",
        f"`/blog {POST}`",
        f"팀블로그는 /blog {POST} 처럼 올리세요",
    ],
)
def test_no_blog_post_without_a_blog_line(body):
    """Without a real `/blog` line carrying a link — quoted, in code, mid-sentence — no post is named."""
    assert blog_link(body) is None


def test_blog_link_returns_an_invalid_target_for_the_caller_to_check():
    """`/blog javascript:…` comes back as written so the caller can refuse it."""
    assert blog_link("/blog [글](javascript:alert(1))") == "javascript:alert(1)"


# `/studybot` commands


@pytest.mark.parametrize(
    ("body", "login", "week", "reason"),
    [
        ("/studybot excuse @seojin 3 병가", "seojin", 3, "병가"),
        ("/studybot excuse @SEOJIN-Lab 3주차 가족 행사로 불참", "SEOJIN-Lab", 3, "가족 행사로 불참"),
        ("/studybot excuse seojin week3 sick", "seojin", 3, "sick"),
        ("/studybot excuse @seojin Week 3 sick", "seojin", 3, "sick"),
        ("/studybot excuse @seojin W12   travel  abroad ", "seojin", 12, "travel  abroad"),
        ("/studybot 면제 @seojin 3 주차 예비군", "seojin", 3, "예비군"),
    ],
)
def test_excuse_reads_user_week_and_reason(body, login, week, reason):
    """An excuse names the member, the week in any usual spelling, and the reason."""
    assert only(body) == Command(Verb.EXCUSE, body.strip(), login=login, week=week, reason=reason)


def test_an_overlong_excuse_reason_is_cut_to_200_characters():
    """A very long reason is kept, shortened to 200 characters."""
    command = only("/studybot excuse @seojin 3 " + "가" * 500)
    assert command.reason == "가" * 200


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("/studybot excuse", CommandProblem.MISSING_USER),
        ("/studybot excuse 3 병가", CommandProblem.MISSING_USER),
        ("/studybot excuse Week 3 병가", CommandProblem.MISSING_USER),
        ("/studybot excuse 장서진 3 병가", CommandProblem.BAD_USER),
        ("/studybot excuse @-seojin 3 병가", CommandProblem.BAD_USER),
        ("/studybot excuse @seo--jin 3 병가", CommandProblem.BAD_USER),
        ("/studybot excuse @" + "a" * 40 + " 3 병가", CommandProblem.BAD_USER),
        ("/studybot excuse @seojin", CommandProblem.MISSING_WEEK),
        ("/studybot excuse @seojin 병가", CommandProblem.BAD_WEEK),
        ("/studybot excuse @seojin 0 병가", CommandProblem.BAD_WEEK),
        ("/studybot excuse @seojin 3-4 병가", CommandProblem.BAD_WEEK),
        ("/studybot excuse @seojin 3", CommandProblem.MISSING_REASON),
        ("/studybot excuse @seojin 3주차   ", CommandProblem.MISSING_REASON),
    ],
)
def test_excuse_refuses_incomplete_lines(body, problem):
    """An excuse without a valid user, week or reason is answered with what is wrong."""
    assert only(body) == CommandError(body.strip(), problem, Verb.EXCUSE)


def test_unexcuse_reads_user_and_week():
    """Unexcuse names the member and the week; extra words are refused, not guessed at."""
    assert only("/studybot unexcuse @seojin 3") == Command(Verb.UNEXCUSE, "/studybot unexcuse @seojin 3", login="seojin", week=3)
    assert only("/studybot unexcuse @seojin").problem == "missing_week"
    assert only("/studybot unexcuse 3").problem == "missing_user"
    assert only("/studybot unexcuse @seojin 3 실수").problem == "extra_text"


@pytest.mark.parametrize(
    "body",
    ["/studybot swap-blog 4 @eunbin @seojin", "/studybot swap-blog W4 eunbin, seojin", "/studybot 블로그교체 4주차 @eunbin @seojin"],
)
def test_swap_blog_reads_week_and_two_users(body):
    """A blog swap names the week and both members."""
    assert only(body) == Command(Verb.SWAP_BLOG, body, login="eunbin", other="seojin", week=4)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("/studybot swap-blog @eunbin @seojin", CommandProblem.BAD_WEEK),
        ("/studybot swap-blog", CommandProblem.MISSING_WEEK),
        ("/studybot swap-blog 4 @eunbin", CommandProblem.MISSING_USER),
        ("/studybot swap-blog 4 @eunbin @Eunbin", CommandProblem.SAME_USER),
        ("/studybot swap-blog 4 @eunbin @seojin @mijin", CommandProblem.EXTRA_TEXT),
        ("/studybot swap-blog 4 @eunbin 서진", CommandProblem.BAD_USER),
    ],
)
def test_swap_blog_refuses_incomplete_lines(body, problem):
    """A blog swap without a week and two different members is answered with what is wrong."""
    assert only(body) == CommandError(body, problem, Verb.SWAP_BLOG)


@pytest.mark.parametrize(
    "amount", ["3000", "3,000", "3000원", "3,000 원", "₩3,000", "￦3000", "KRW 3000", "krw3,000", "3000 KRW"]
)
def test_paid_reads_amounts_in_every_usual_format(amount):
    """A payment of 3000 won is understood however the maintainer writes it."""
    body = f"/studybot paid @seojin {amount}"
    assert only(body) == Command(Verb.PAID, body, login="seojin", amount=3000)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("/studybot paid @seojin", CommandProblem.MISSING_AMOUNT),
        ("/studybot paid 3000", CommandProblem.MISSING_USER),
        ("/studybot paid", CommandProblem.MISSING_USER),
        ("/studybot paid @seojin 0", CommandProblem.BAD_AMOUNT),
        ("/studybot paid @seojin -3000", CommandProblem.BAD_AMOUNT),
        ("/studybot paid @seojin 10,000,000", CommandProblem.BAD_AMOUNT),
        ("/studybot paid @seojin 3,00", CommandProblem.BAD_AMOUNT),
        ("/studybot paid @seojin 3.000", CommandProblem.BAD_AMOUNT),
        ("/studybot paid @seojin 3 000", CommandProblem.BAD_AMOUNT),
        ("/studybot paid @seojin 삼천원", CommandProblem.BAD_AMOUNT),
        ("/studybot paid @seojin " + "9" * 5000, CommandProblem.BAD_AMOUNT),
    ],
)
def test_paid_refuses_missing_or_implausible_amounts(body, problem):
    """A payment that is missing, zero, negative, ten million or more, or oddly grouped is refused."""
    assert only(body) == CommandError(body, problem, Verb.PAID)


def test_amount_bounds():
    """The largest accepted payment is 9,999,999 and the smallest 1."""
    assert parse_amount("9,999,999원") == 9_999_999
    assert parse_amount("1") == 1
    assert parse_amount("10000000") is None


def test_paid_with_a_numeric_login_needs_the_at_sign():
    """A login that is all digits is read as a user only when written with '@'."""
    assert only("/studybot paid @3000 3000") == Command(Verb.PAID, "/studybot paid @3000 3000", login="3000", amount=3000)


@pytest.mark.parametrize(
    ("body", "verb"),
    [
        ("/studybot recheck", Verb.RECHECK),
        ("/studybot 재확인", Verb.RECHECK),
        ("/studybot recheck please", Verb.RECHECK),
        ("/studybot help", Verb.HELP),
        ("/studybot 도움말", Verb.HELP),
        ("/studybot", Verb.HELP),
        ("  /studybot   ", Verb.HELP),
        ("/StudyBot ReCheck", Verb.RECHECK),
    ],
)
def test_recheck_and_help(body, verb):
    """Recheck and help need no arguments, and a bare `/studybot` asks for help."""
    assert only(body) == Command(verb, body.strip())


@pytest.mark.parametrize(
    ("alias", "verb"),
    [("면제", Verb.EXCUSE), ("면제취소", Verb.UNEXCUSE), ("면제 취소", Verb.UNEXCUSE), ("블로그교체", Verb.SWAP_BLOG),
     ("블로그 교체", Verb.SWAP_BLOG), ("납부", Verb.PAID), ("재확인", Verb.RECHECK), ("도움말", Verb.HELP), ("EXCUSE", Verb.EXCUSE)],
)
def test_korean_aliases_name_the_same_verbs(alias, verb):
    """Korean verbs (also written with a space, or as decomposed Hangul) mean the same as the English ones."""
    for spelling in (alias, unicodedata.normalize("NFD", alias)):
        assert getattr(only(f"/studybot {spelling}"), "verb", None) is verb


def test_every_alias_is_a_single_lowercase_word():
    """Every alias in the table can be typed as one word and is found regardless of case."""
    assert all(alias == alias.casefold() and " " not in alias for alias in VERB_ALIASES)
    assert set(VERB_ALIASES.values()) == set(Verb)


@pytest.mark.parametrize("body", ["/studybot frobnicate", "/studybot pay @seojin 3000", "/studybot @seojin 3"])
def test_unknown_verbs_are_reported(body):
    """A verb the bot doesn't know is answered as unknown rather than ignored."""
    assert only(body) == CommandError(body, CommandProblem.UNKNOWN_VERB)


def test_several_commands_in_one_comment_are_read_in_order():
    """Each `/studybot` line of a comment is its own command, in order, with prose between them ignored."""
    body = (
        "이번 주 정리합니다.\r\n"
        "/studybot excuse @seojin 3 병가\r\n"
        "/studybot paid @eunbin 3,000원\r\n"
        "/studybot frob\r\n"
        "> /studybot recheck\r\n"
        "```\r\n/studybot help\r\n```\r\n"
        "`/studybot recheck` 는 예시\r\n"
        "/studybot recheck\r\n"
    )
    assert parse_commands(body) == (
        Command(Verb.EXCUSE, "/studybot excuse @seojin 3 병가", login="seojin", week=3, reason="병가"),
        Command(Verb.PAID, "/studybot paid @eunbin 3,000원", login="eunbin", amount=3000),
        CommandError("/studybot frob", "unknown_verb"),
        Command(Verb.RECHECK, "/studybot recheck"),
    )


@pytest.mark.parametrize("body", ["/studybotx recheck", "please /studybot recheck", "/study bot recheck", "//studybot recheck"])
def test_lines_not_starting_with_the_command_are_not_commands(body):
    """Only a line that begins with `/studybot` is a command."""
    assert parse_commands(body) == ()


def test_problem_keys_are_plain_strings():
    """Problem keys compare equal to their English key, so messages can be looked up by it."""
    assert only("/studybot excuse @seojin 3").problem == "missing_reason"
    assert {str(problem) for problem in CommandProblem} >= {"unknown_verb", "missing_user", "bad_week", "bad_amount", "missing_reason"}


# Robustness


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(),
            st.sampled_from(
                ["\n", "\r\n", "```", "~~~", "`", "> ", "<!--", "-->", "<!-- studybot:", "[", "](", ")", "<", ">",
                 "제출 ", "submit: ", "/blog ", "/블로그 ", "/studybot ", "excuse ", "paid ", "swap-blog ", "@a ",
                 "3주차 ", "Week ", "₩", "3,000", "https://", "javascript:", "www.", "(", "면제 ", "취소 "]
            ),
        ),
        max_size=30,
    ).map("".join)
)
def test_arbitrary_text_never_raises(body):
    """No comment text, however mangled, makes any of the readers fail."""
    links = submission_links(body)
    assert all(isinstance(link, str) and link for link in links)
    assert len(set(links)) == len(links)
    assert blog_link(body) is None or isinstance(blog_link(body), str)
    for command in parse_commands(body):
        assert isinstance(command, Command | CommandError)
        if isinstance(command, Command) and command.amount is not None:
            assert 0 < command.amount < 10_000_000


LONGEST = 65_536  # GitHub's longest comment
HOSTILE = {
    "questions": "질문 " * (LONGEST // 3) + POST,
    "links only": (POST + "\n") * (LONGEST // len(POST)),
    "fillers": "- " * (LONGEST // 2) + POST,
    "br tags": "<br" * (LONGEST // 3),
    "late words": "늦" * LONGEST + " " + POST,
    "ascii words": "hwhw" * (LONGEST // 4) + " " + POST,
    "question marks": "?" * LONGEST + POST,
    "host labels": "제출 " + "a." * (LONGEST // 2),
    "hosts without a path": "velog.io " * (LONGEST // 9),
    "week names": "1주차 " * (LONGEST // 4) + POST,
}


@pytest.mark.parametrize("body", list(HOSTILE.values()), ids=list(HOSTILE))
def test_the_longest_hostile_comments_are_classified_without_hanging(body):
    """A comment of GitHub's maximum length built to make patterns backtrack is still read, within seconds."""
    import time

    started = time.perf_counter()
    verdict = classify_comment(body)
    assert isinstance(verdict.kind, CommentKind)
    assert time.perf_counter() - started < 2.0  # a hang guard, not a speed figure


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=8),
            st.sampled_from(["\n", "> ", "```", "`", "?", "？", "질문", "질문 없", "과제", "제출", "hw", "늦어서 ", "ㅠㅠ",
                             "/blog ", "/studybot ", "- ", "<br>", "&nbsp;", POST, "[a](", ")", "https://x.y/?q=1"]),
        ),
        max_size=30,
    ).map("".join)
)
def test_the_verdict_is_consistent_for_any_text(body):
    """Whatever the text, counted links are exactly what `submission_links` returns, and a reply is only due for links not counted."""
    verdict = classify_comment(body)
    assert verdict.links == submission_links(body)
    assert (verdict.kind is CommentKind.SUBMISSION) == bool(verdict.links)
    assert not set(verdict.links) & set(verdict.uncounted)
    if verdict.needs_reply:
        assert verdict.uncounted and not verdict.links


# ---- Edge cases of reading Q&A comments that the main comment tests leave out -------------------

SHOT = "https://i.imgur.com/screenshot.png"


def test_blog_command_skips_a_screenshot_before_the_post() -> None:
    """A `/blog` line that shows a screenshot first still names the post that follows it."""
    assert blog_link(f"/blog ![캡처]({SHOT}) {POST}") == POST


def test_blog_command_with_only_a_screenshot_names_no_post() -> None:
    """A `/blog` line whose only link is a screenshot names no blog post."""
    assert blog_link(f"/blog ![캡처]({SHOT})") is None


def test_bare_link_loses_trailing_punctuation_and_unbalanced_brackets() -> None:
    """A bare link at the end of a sentence is handed in without the punctuation after it."""
    assert submission_links(f"제출: ({POST}).") == (POST,)
# Comments as members write them (issue 21): links without a scheme, a week named, several links.


@pytest.mark.parametrize(
    ("body", "target"),
    [
        ("과제 올렸어요 ㅎㅎ velog.io/@seojin/mlops-week3", POST),
        ("과제입니다 seojin.tistory.com/12.", "https://seojin.tistory.com/12"),
        ("과제 www.notion.so/seojin/week3-abc?pvs=4", "https://www.notion.so/seojin/week3-abc?pvs=4"),
        ("과제 seojin.notion.site/week3", "https://seojin.notion.site/week3"),
        ("과제 github.com/seojin/mlops/pull/3", "https://github.com/seojin/mlops/pull/3"),
        ("과제 gist.github.com/seojin/abc", "https://gist.github.com/seojin/abc"),
        ("과제 brunch.co.kr/@seojin/3", "https://brunch.co.kr/@seojin/3"),
        ("과제 blog.naver.com/seojin/2233", "https://blog.naver.com/seojin/2233"),
        ("과제 colab.research.google.com/drive/1abc", "https://colab.research.google.com/drive/1abc"),
        ("과제 kaggle.com/code/seojin/week3", "https://kaggle.com/code/seojin/week3"),
        ("과제 wikidocs.net/12345", "https://wikidocs.net/12345"),
        ("과제 hackmd.io/@seojin/week3", "https://hackmd.io/@seojin/week3"),
        ("과제 dev.to/seojin/week3", "https://dev.to/seojin/week3"),
        ("과제 seojin.substack.com/p/week3", "https://seojin.substack.com/p/week3"),
        ("과제 medium.com/@seojin/week3", "https://medium.com/@seojin/week3"),
        ("과제 (velog.io/@seojin/mlops-week3)", POST),
    ],
)
def test_a_link_without_https_on_a_known_host_counts_as_https(body, target):
    """Members paste `velog.io/@…` without the scheme; on the blog and notebook hosts they use it is a link."""
    assert submission_links(body) == (target,)


@pytest.mark.parametrize(
    "body",
    [
        "과제 github.com에 올렸어요",  # a host named in prose, no page
        "과제 seojin@velog.io/x",  # inside an address
    ],
)
def test_only_a_page_on_a_known_host_is_taken_for_a_link(body):
    assert submission_links(body) == ()


def test_a_name_that_only_ends_like_a_known_host_is_not_made_https():
    assert submission_links("과제 notavelog.io/x") == ("notavelog.io/x",)  # read as written: told as invalid


def test_a_link_with_its_scheme_is_read_once_not_again_without_it():
    assert submission_links(f"과제 {POST} velog.io/@seojin/mlops-week3") == (POST,)


@pytest.mark.parametrize(
    ("body", "week"),
    [
        (f"저도 올려요~ 노션에 정리했습니다\n[1주차 정리]({POST})", 1),
        (f"[2 주차 과제]({POST})", 2),
        (f"Week 3 notes {POST}", 3),
        (f"wk.4 {POST}", 4),
    ],
)
def test_a_comment_that_names_a_week_beside_its_link_hands_it_in_for_that_week(body, week):
    """The trial's '[1주차 정리](…)': no 제출, but naming the week beside a link is handing it in."""
    verdict = classify_comment(body)
    assert verdict.kind is CommentKind.SUBMISSION and verdict.links == (POST,) and verdict.week == week


@pytest.mark.parametrize(
    "body",
    [f"3주차 참고 자료: {POST}", f"2주차 내용이랑 비슷한 글 공유해요 {POST}", f"week 3 reference: {POST}"],
)
def test_a_week_named_beside_a_shared_page_is_no_hand_in(body):
    verdict = classify_comment(body)
    assert verdict.kind is CommentKind.LINK_WITHOUT_SUBMISSION_WORD and verdict.needs_reply


@pytest.mark.parametrize(
    ("body", "week"),
    [(f"1주차 과제는 늦었고 2주차 과제 제출합니다 {POST}", None), (f"과제 제출합니다 {POST}", None),
     (f"2주차 과제 제출합니다 {POST}", 2), (f"week2 hw {POST}", 2)],
)
def test_the_week_a_comment_names_is_read_only_when_it_names_one(body, week):
    """Two weeks named is no answer: the issue's week stands."""
    assert classify_comment(body).week == week


@pytest.mark.parametrize(("body", "target"), [("과제 example.com/week3", "example.com/week3"),
                                              ("과제 제출 my.blog.co.kr/3.", "my.blog.co.kr/3")])
def test_another_sites_page_without_https_is_read_as_written_to_be_told(body, target):
    """An unknown host is not guessed to be https: the link comes back as written, so the member
    and the leader are told it is no valid link rather than hearing nothing."""
    assert submission_links(body) == (target,) and link_problem(target) is not None


@pytest.mark.parametrize("body", ["과제 node.js/express 공부", "과제 v1.2/notes", "제출 seojin@mail.com/x"])
def test_names_with_dots_that_are_no_sites_are_not_links(body):
    assert classify_comment(body).kind is CommentKind.NO_LINK
