"""What an issue comment says: homework links, `/blog` posts and maintainer commands."""

from __future__ import annotations

import bisect
import enum
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from studybot.core.evidence import link_problem

MAX_REASON = 200
MAX_AMOUNT = 10_000_000  # exclusive: a payment this large is a typo, not a fine
MAX_LOGIN = 39

SUBMIT_WORDS = ("제출", "submit", "/submit")
BLOG_WORDS = ("/blog", "/블로그")


class Verb(enum.StrEnum):
    """What a maintainer command asks for."""

    EXCUSE = "excuse"
    UNEXCUSE = "unexcuse"
    SWAP_BLOG = "swap-blog"
    PAID = "paid"
    RECHECK = "recheck"
    HELP = "help"
    STATUS = "status"  # any member may ask for their own status
    START = "start"  # the first run waits for this before it writes anything
    CONFIG = "config"  # adopt the config file as it is at the head
    CREDIT = "credit"  # count work the bot reported as unread, judged at its own time


VERB_ALIASES: dict[str, Verb] = {
    "excuse": Verb.EXCUSE,
    "면제": Verb.EXCUSE,
    "unexcuse": Verb.UNEXCUSE,
    "면제취소": Verb.UNEXCUSE,
    "swap-blog": Verb.SWAP_BLOG,
    "블로그교체": Verb.SWAP_BLOG,
    "paid": Verb.PAID,
    "납부": Verb.PAID,
    "recheck": Verb.RECHECK,
    "재확인": Verb.RECHECK,
    "help": Verb.HELP,
    "도움말": Verb.HELP,
    "status": Verb.STATUS,
    "현황": Verb.STATUS,
    "내벌금": Verb.STATUS,
    "start": Verb.START,
    "시작": Verb.START,
    "config": Verb.CONFIG,
    "설정적용": Verb.CONFIG,
    "credit": Verb.CREDIT,
    "인정": Verb.CREDIT,
}


class CommandProblem(enum.StrEnum):
    """Why a `/studybot` line was refused; messages modules turn these into sentences."""

    UNKNOWN_VERB = "unknown_verb"
    MISSING_USER = "missing_user"
    BAD_USER = "bad_user"
    SAME_USER = "same_user"
    MISSING_WEEK = "missing_week"
    BAD_WEEK = "bad_week"
    MISSING_AMOUNT = "missing_amount"
    BAD_AMOUNT = "bad_amount"
    MISSING_REASON = "missing_reason"
    EXTRA_TEXT = "extra_text"


@dataclass(frozen=True)
class Command:
    """One understood `/studybot` line."""

    verb: Verb
    line: str
    login: str | None = None
    other: str | None = None
    week: int | None = None
    amount: int | None = None
    reason: str = ""


@dataclass(frozen=True)
class CommandError:
    """One `/studybot` line that could not be understood, with the reason in a short key."""

    line: str
    problem: str
    verb: Verb | None = None


class _Kind(enum.Enum):
    TEXT = "text"
    QUOTE = "quote"
    CODE = "code"


def _spellings(word: str) -> str:
    # Hangul typed on some systems arrives decomposed (NFD); both forms must match.
    forms = dict.fromkeys(unicodedata.normalize(form, word) for form in ("NFC", "NFD"))
    return "|".join(re.escape(form) for form in forms)


def _keywords(words: tuple[str, ...]) -> str:
    # Latin words must end there ("submitted" is prose); Korean ones may take endings ("제출합니다").
    return "|".join(f"(?:{_spellings(word)})" + (r"\b" if word.isascii() else "") for word in words)


_BOT_MARKER = re.compile(r"<!--\s*studybot:", re.IGNORECASE)
_FENCE = re.compile(r"\s*(`{3,}|~{3,})(.*)")
_BACKTICKS = re.compile(r"`+")
_TARGET = r"[^\s()]*(?:\([^\s()]*\)[^\s()]*)*"  # balanced parentheses, one level, as in wiki URLs
# Blog and notebook hosts members write without `https://` (velog.io/@me/post): read as https links.
KNOWN_HOSTS = (
    "velog.io", "tistory.com", "notion.so", "notion.site", "github.com", "github.io", "gist.github.com",
    "medium.com", "brunch.co.kr", "blog.naver.com", "colab.research.google.com", "kaggle.com",
    "wikidocs.net", "hackmd.io", "dev.to", "substack.com", "oopy.io",
)
_TLDS = "com|net|org|io|kr|me|dev|app|site|blog|page|so|ai|xyz|tech|info"
_HOSTS = "|".join(re.escape(host) for host in sorted(KNOWN_HOSTS, key=len, reverse=True))
_LINK = re.compile(
    # Images come first so that a screenshot's address is consumed and never read as a link.
    r"!\[[^\[\]\n]*\]\([^()\n]*(?:\([^()\n]*\)[^()\n]*)*\)"
    # Possessive whitespace: the optional title and the closing space must not trade spaces,
    # or a '[x](' followed by thousands of spaces takes quadratic time.
    r"|(?<!!)\[(?P<text>[^\[\]\n]*)\]\(\s*+(?:<(?P<angled>[^<>\n]*)>|(?P<target>" + _TARGET + r"))"
    r"(?:\s++(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?\s*+\)"
    r"|<(?P<auto>[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*)>"
    # A known host without a scheme, with a path: `velog.io/@me/1`, `me.tistory.com/3`, `www.notion.so/x`.
    r"|(?<![A-Za-z0-9+.\-@/:_])(?P<host>(?i:(?:[a-z0-9-]++\.)*?(?:" + _HOSTS + r"))/[^\s<>]+)"
    r"|(?<![A-Za-z0-9+.\-])(?P<bare>(?:[A-Za-z][A-Za-z0-9+.\-]{0,31}://|www\.|(?i:javascript|data|vbscript):)"
    r"[^\s<>]+)"
    # Another site's page without a scheme (`myblog.com/post`): read as written, so it is told as
    # no valid link (to the member and the leader) rather than passed over in silence.
    r"|(?<![A-Za-z0-9+.\-@/:_])(?P<loose>(?i:(?:[a-z0-9-]++\.)++(?:" + _TLDS + r"))/[^\s<>]+)"
)
_BULLET = r"\s*(?:[-*+]\s+|[0-9]{1,3}[.)]\s+)?(?:\*\*|__)?"
_SUBMIT = re.compile(_BULLET + r"(?:" + _keywords(SUBMIT_WORDS) + r")(?:\*\*|__)?\s*:?", re.IGNORECASE)
_BLOG = re.compile(r"\s*(?:" + _keywords(BLOG_WORDS) + r")(?=[\s:]|$):?", re.IGNORECASE)
_COMMAND = re.compile(r"\s*/studybot(?=\s|$)", re.IGNORECASE)
_LOGIN = re.compile(r"@?([A-Za-z0-9](?:-?[A-Za-z0-9])*),?")
_WEEK = re.compile(
    r"\s*(?:(?:week|wk|w)\.?\s*([0-9]{1,4})|([0-9]{1,4})\s*(?:" + _spellings("주차") + "|" + _spellings("주") + r")?)"
    r"(?=\s|,|$)",
    re.IGNORECASE,
)
_AMOUNT = re.compile(
    r"\s*(?:(?:krw|₩|￦)\s*)?([0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,12})\s*(?:" + _spellings("원") + r"|krw)?\s*",
    re.IGNORECASE,
)
_CLOSERS = {")": "(", "]": "["}
_TRAILING = ".,:;!?'\"*_~"


def _without_html_comments(text: str) -> str:
    """The text without `<!-- … -->` spans, keeping their line breaks so lines stay lines."""
    # Hidden comments (issue-template hints) are invisible on GitHub, so they say nothing.
    pieces: list[str] = []
    cursor = 0
    while (start := text.find("<!--", cursor)) != -1:
        end = text.find("-->", start + 4)
        if end == -1:
            break
        pieces += [text[cursor:start], "\n" * text.count("\n", start, end)]
        cursor = end + 3
    pieces.append(text[cursor:])
    return "".join(pieces)


def _lines(body: str) -> list[tuple[_Kind, str]]:
    """The comment's lines, each marked as the author's own text, a quote, or code."""
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    text = _without_html_comments(text)
    lines: list[tuple[_Kind, str]] = []
    fence: str | None = None
    for line in text.split("\n"):
        match = _FENCE.match(line)
        if fence is not None:
            closes = match is not None and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence)
            if match is not None and closes and not match.group(2).strip():
                fence = None
            lines.append((_Kind.CODE, line))
        elif match and not (match.group(1)[0] == "`" and "`" in match.group(2)):
            fence = match.group(1)
            lines.append((_Kind.CODE, line))
        elif line.lstrip().startswith(">"):
            lines.append((_Kind.QUOTE, line))
        else:
            lines.append((_Kind.TEXT, line))
    return lines


def _without_inline_code(line: str) -> str:
    """The line with every `code span` blanked out (pairs backtick runs of equal length, linearly)."""
    runs = [match.span() for match in _BACKTICKS.finditer(line)]
    by_length: dict[int, list[int]] = {}
    for index, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(index)
    pieces: list[str] = []
    cursor = index = 0
    while index < len(runs):
        start, end = runs[index]
        same = by_length[end - start]
        later = bisect.bisect_right(same, index)
        if later == len(same):
            index += 1
            continue
        close = same[later]
        pieces += [line[cursor:start], " "]
        cursor = runs[close][1]
        index = close + 1
    pieces.append(line[cursor:])
    return "".join(pieces)


def _own_text(body: str) -> tuple[list[str], bool]:
    """The author's own lines with inline code blanked, and whether the comment holds code blocks."""
    lines = _lines(body)
    own = [_without_inline_code(text) for kind, text in lines if kind is _Kind.TEXT]
    return own, any(kind is _Kind.CODE for kind, _ in lines)


def _trim_bare(url: str) -> str:
    """A bare URL without the sentence punctuation or unbalanced brackets that follow it."""
    counts = {closer: url.count(closer) - url.count(opener) for closer, opener in _CLOSERS.items()}
    end = len(url)
    while True:  # a bare URL starts with a letter, so this stops before its start
        char = url[end - 1]
        if char in _TRAILING:
            end -= 1
        elif char in _CLOSERS and counts[char] > 0:
            counts[char] -= 1
            end -= 1
        else:
            break
    return url[:end]


def _target(match: re.Match[str]) -> str:
    """The link target a `_LINK` match names, as written; empty for an image."""
    if match.group("bare") is not None:
        return _trim_bare(match.group("bare"))
    if match.group("loose") is not None:
        return _trim_bare(match.group("loose"))
    if match.group("host") is not None:
        return "https://" + _trim_bare(match.group("host"))
    return (match.group("angled") or match.group("target") or match.group("auto") or "").strip()


def _unique(targets: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(target for target in targets if target))


class CommentKind(enum.StrEnum):
    """What a comment on a week's Q&A issue is, as far as homework goes."""

    SUBMISSION = "submission"  # hands in links (SPEC §3 source 2)
    BLOG = "blog"  # names the team-blog post with `/blog <link>`
    COMMAND = "command"  # `/studybot` lines for the maintainers' commands
    QUESTION_WITH_LINK = "question_with_link"  # a question that shows a link: not homework
    LINK_WITHOUT_SUBMISSION_WORD = "link_without_submission_word"  # a shared link, no word of handing in
    NO_LINK = "no_link"  # conversation


class Uncounted(enum.StrEnum):
    """Why a link that looks handed in did not count; the leader is told each (report warnings)."""

    NO_WORD = "no_word"  # shared without a word of handing in
    QUESTION = "question"  # on a line that asks, in a comment about handing in
    EXTRA = "extra"  # a second link: the comment's first link counts


# The reaction on an accepted submission: "handed in", whatever the verdict turns out to be
# (a late one gets it too, so no 🎉), and unlike 👍, which answers a carried-out command.
SUBMISSION_REACTION = "rocket"


@dataclass(frozen=True)
class CommentVerdict:
    """How a comment was read: its kind, the link it hands in, and the links it shows but does not.

    ``links`` holds one link at most: where a comment holds several, the first counts and the
    others (``extra``, also in ``uncounted``) are noted. ``week`` is the week the comment names
    (`2주차`, `week 2`), when it names exactly one.
    """

    kind: CommentKind
    links: tuple[str, ...] = ()
    uncounted: tuple[str, ...] = ()
    blog: str | None = None
    mentions_submission: bool = False
    week: int | None = None
    extra: tuple[str, ...] = ()

    @property
    def needs_reply(self) -> bool:
        """Whether the author should be told their link was not counted (SPEC §3: one short reply)."""
        # A plain question that cites a page is not about homework; replying to it is noise.
        return self.kind is CommentKind.LINK_WITHOUT_SUBMISSION_WORD or (
            self.kind is CommentKind.QUESTION_WITH_LINK and self.mentions_submission
        )

    @property
    def reply_key(self) -> str | None:
        """The message key of that reply, or None when no reply is due."""
        if not self.needs_reply:
            return None
        return "comment.uncounted.question" if self.kind is CommentKind.QUESTION_WITH_LINK else "comment.uncounted.no_word"


def _ascii_word(pattern: str) -> str:
    # Not \b: Python counts Hangul as word characters, so "hw제출" would have no boundary.
    return rf"(?<![A-Za-z0-9]){pattern}(?![A-Za-z])"


def _korean(*words: str) -> str:
    return "|".join(_spellings(word) for word in words)


# Any form of these says "I am handing this in": 제출합니다, 제출했습니다, 과제입니다, Submitted, hw3.
_SUBMISSION_WORD = re.compile(
    _korean("제출", "과제")
    + "|"
    + "|".join(_ascii_word(word) for word in (r"submit(?:s|ted|ting)?", r"submission", r"hw[0-9]*", r"homework", r"assignments?")),
    re.IGNORECASE,
)
# An apology or "late" with nothing else but a link is how a late member hands in: 늦어서 죄송합니다 ㅠㅠ <link>.
_LATE_WORD = re.compile(_korean("늦", "지각", "죄송", "미안") + "|" + _ascii_word(r"(?:sorry|late)"), re.IGNORECASE)
# A week named in the member's words or a link's text: 2주차, 2 주차, week 2, Week2, wk 2.
_WEEK_NAMED = re.compile(
    r"(?<![0-9])([0-9]{1,3})\s*(?:" + _korean("주차") + r")|" + _ascii_word(r"(?:week|wk)\.?\s*([0-9]{1,3})(?![0-9])"),
    re.IGNORECASE,
)
# Words of sharing a page with the others: with them, naming a week is no handing in ("3주차 참고 자료").
_SHARING_WORD = re.compile(_korean("참고", "공유", "추천", "자료") + "|" + _ascii_word(r"(?:reference|fyi|useful)"), re.IGNORECASE)
# A line that asks something. "질문 없습니다" (no questions) is a statement, not a question.
_QUESTION = re.compile(
    r"[?？]|"
    + _korean("궁금", "어떻게", "왜", "될까요", "되나요", "인가요", "일까요", "맞나요", "있나요", "없나요", "하나요", "할까요", "건가요", "는지요")
    + "|(?:"
    + _korean("질문")
    + r")(?!\s*(?:"
    + _korean("은", "이")
    + r")?\s*(?:"
    + _korean("없")
    + "))|"
    + _ascii_word(r"(?:question|how|why)"),
    re.IGNORECASE,
)
# What may stand between links in a links-only comment: list bullets, <br>, &nbsp;, separators.
_FILLER = re.compile(r"(?:\s|<br\s*/?>|&nbsp;|[-*+,|·]|[0-9]{1,3}[.)](?=\s))+", re.IGNORECASE)


@dataclass(frozen=True)
class _Line:
    """One of the author's own lines: the links on it and its words with the links taken out."""

    links: tuple[str, ...]
    words: str
    question: bool
    skipped: bool  # a `/blog` or `/studybot` line: its links are not homework
    said: str = ""  # the words with the links' own text put back ("[1주차 정리](…)" says 1주차 정리)


def _read_line(line: str) -> _Line:
    pieces: list[str] = []
    spoken: list[str] = []
    links: list[str] = []
    cursor = 0
    for match in _LINK.finditer(line):
        pieces += [line[cursor : match.start()], " "]
        spoken += [line[cursor : match.start()], " ", match.group("text") or "", " "]
        links.append(_target(match))
        cursor = match.end()
    pieces.append(line[cursor:])
    spoken.append(line[cursor:])
    words = "".join(pieces)
    skipped = bool(_BLOG.match(line) or _COMMAND.match(line))
    return _Line(_unique(links), words, bool(_QUESTION.search(words)), skipped, "".join(spoken))


def named_week(text: str) -> int | None:
    """The one week ``text`` names (`2주차`, `week 2`), or None when it names none or several."""
    weeks = {int(match.group(1) or match.group(2)) for match in _WEEK_NAMED.finditer(text)}
    return weeks.pop() if len(weeks) == 1 else None


def _first(links: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the link that counts, the others): the first valid link, else the first (so it is warned about)."""
    first = next((link for link in links if not link_problem(link)), links[0])
    return (first,), tuple(link for link in links if link != first)


def classify_comment(body: str) -> CommentVerdict:
    """How a comment on a week's Q&A issue counts (the rule and its examples: docs/decisions.md).

    Links on lines that ask something, quote someone, show code, or run `/blog` or `/studybot`
    never count. The other links count when a line that asks nothing says 제출/과제/submit/hw…,
    when the comment is nothing but links, when it is an apology or "late" plus links only, or
    when it names a week (`[1주차 정리](…)`) without saying it shares a page. Of those links
    the first counts; the others are noted. Whose comment it is (the bot's, by receipt) is the
    caller's business: a hidden marker is ignored like any hidden text.
    """
    own, has_code = _own_text(body)
    lines = [_read_line(line) for line in own if line.strip()]
    posted = blog_link(body)
    commands = any(_COMMAND.match(line) for line in own)
    plain = [line for line in lines if not line.skipped]
    statements = [line for line in plain if not line.question]
    candidates = _unique([link for line in statements for link in line.links])
    shown = _unique([link for line in plain for link in line.links])
    said = " ".join(line.said for line in statements)
    week = named_week(said)
    submits = any(_SUBMISSION_WORD.search(line.said) for line in plain)
    asks = any(line.question for line in plain)
    only_links = not has_code and bool(plain) and all(not _FILLER.sub("", line.words) for line in plain)
    counted = bool(candidates) and (
        only_links
        or bool(_SUBMISSION_WORD.search(said))
        or (not asks and bool(_LATE_WORD.search(said)))
        or (week is not None and not _SHARING_WORD.search(said))
    )
    if counted:
        first, extra = _first(candidates)
        uncounted = tuple(link for link in shown if link not in first)
        return CommentVerdict(CommentKind.SUBMISSION, first, uncounted, posted, True, week, extra)
    if posted:
        return CommentVerdict(CommentKind.BLOG, (), shown, posted, submits, week)
    if commands:
        return CommentVerdict(CommentKind.COMMAND, (), shown, None, submits, week)
    if shown:
        kind = CommentKind.QUESTION_WITH_LINK if asks else CommentKind.LINK_WITHOUT_SUBMISSION_WORD
        return CommentVerdict(kind, (), shown, None, submits, week)
    return CommentVerdict(CommentKind.NO_LINK, (), (), None, submits, week)


def submission_links(body: str) -> tuple[str, ...]:
    """The link a Q&A comment hands in (SPEC §3 source 2), valid or not: one at most."""
    return classify_comment(body).links


def blog_link(body: str) -> str | None:
    """The target of the first `/blog <link>` (or `/블로그`) line that names one, valid or not."""
    for line in _own_text(body)[0]:
        command = _BLOG.match(line)
        if command:
            for match in _LINK.finditer(line, command.end()):
                if target := _target(match):
                    return target
    return None


class _Refused(Exception):
    """Raised while reading arguments; turned into a CommandError for the line."""

    def __init__(self, problem: CommandProblem) -> None:
        super().__init__(problem)
        self.problem = problem


def _split(args: str) -> tuple[str, str]:
    parts = args.split(maxsplit=1)
    return (parts[0], parts[1] if len(parts) > 1 else "") if parts else ("", "")


def _take_login(args: str) -> tuple[str, str]:
    """The leading login (with or without '@') and what follows it."""
    token, rest = _split(args)
    # Without '@' a week-looking token ("3", "W3", "Week 3") is a week, so the user is missing.
    if not token or (not token.startswith("@") and _WEEK.match(args)):
        raise _Refused(CommandProblem.MISSING_USER)
    match = _LOGIN.fullmatch(token)
    if not match or len(match.group(1)) > MAX_LOGIN:
        raise _Refused(CommandProblem.BAD_USER)
    return match.group(1), rest


def _take_week(args: str) -> tuple[int, str]:
    """The leading week number (`3`, `3주차`, `week3`, `Week 3`, `W3`) and what follows it."""
    if not args.strip():
        raise _Refused(CommandProblem.MISSING_WEEK)
    match = _WEEK.match(args)
    if not match:
        raise _Refused(CommandProblem.BAD_WEEK)
    week = int(match.group(1) or match.group(2))
    if week < 1:
        raise _Refused(CommandProblem.BAD_WEEK)
    return week, args[match.end() :].lstrip(" \t,")


def parse_amount(text: str) -> int | None:
    """Won in `3000`, `3,000`, `3000원`, `₩3,000` or `KRW 3000`, or None when it is no sensible payment."""
    match = _AMOUNT.fullmatch(text)
    if not match:
        return None
    amount = int(match.group(1).replace(",", ""))
    return amount if 0 < amount < MAX_AMOUNT else None


def _nothing_more(args: str) -> None:
    # Commands that move money or assignments refuse leftovers rather than guess what they meant.
    if args.strip():
        raise _Refused(CommandProblem.EXTRA_TEXT)


def _excuse(line: str, args: str) -> Command:
    login, args = _take_login(args)
    week, args = _take_week(args)
    reason = args.strip()[:MAX_REASON].rstrip()
    if not reason:
        raise _Refused(CommandProblem.MISSING_REASON)
    return Command(Verb.EXCUSE, line, login=login, week=week, reason=reason)


def _unexcuse(line: str, args: str) -> Command:
    login, args = _take_login(args)
    week, args = _take_week(args)
    _nothing_more(args)
    return Command(Verb.UNEXCUSE, line, login=login, week=week)


def _swap_blog(line: str, args: str) -> Command:
    week, args = _take_week(args)
    login, args = _take_login(args)
    other, args = _take_login(args)
    _nothing_more(args)
    if login.lower() == other.lower():
        raise _Refused(CommandProblem.SAME_USER)
    return Command(Verb.SWAP_BLOG, line, login=login, other=other, week=week)


def _paid(line: str, args: str) -> Command:
    login, args = _take_login(args)
    if not args.strip():
        raise _Refused(CommandProblem.MISSING_AMOUNT)
    amount = parse_amount(args)
    if amount is None:
        raise _Refused(CommandProblem.BAD_AMOUNT)
    return Command(Verb.PAID, line, login=login, amount=amount)


def _take_member(args: str) -> tuple[str, str]:
    """The leading member, as a login (`@mijinkoo`, `mijinkoo`) or a name (`구미진`), and what follows."""
    token, rest = _split(args)
    if not token or (not token.startswith("@") and _WEEK.match(args)):
        raise _Refused(CommandProblem.MISSING_USER)
    name = token.lstrip("@").rstrip(",")
    if not name or len(name) > MAX_LOGIN:
        raise _Refused(CommandProblem.BAD_USER)
    return name, rest


def _credit(line: str, args: str) -> Command:
    # The reason is optional: what is credited is named by the work the bot reported.
    login, args = _take_member(args)
    week, args = _take_week(args)
    return Command(Verb.CREDIT, line, login=login, week=week, reason=args.strip()[:MAX_REASON].rstrip())


def _plain(verb: Verb) -> Callable[[str, str], Command]:
    # Words after recheck/help change nothing, so they are tolerated.
    return lambda line, args: Command(verb, line)


_READERS: dict[Verb, Callable[[str, str], Command]] = {
    Verb.EXCUSE: _excuse,
    Verb.UNEXCUSE: _unexcuse,
    Verb.SWAP_BLOG: _swap_blog,
    Verb.PAID: _paid,
    Verb.RECHECK: _plain(Verb.RECHECK),
    Verb.HELP: _plain(Verb.HELP),
    Verb.STATUS: _plain(Verb.STATUS),
    Verb.START: _plain(Verb.START),
    Verb.CONFIG: _plain(Verb.CONFIG),
    Verb.CREDIT: _credit,
}


def _fold(word: str) -> str:
    return unicodedata.normalize("NFC", word).casefold()


def _verb(words: str) -> tuple[Verb | None, str]:
    """The verb at the start of ``words`` and the arguments after it; two words may spell one alias."""
    first, rest = _split(words)
    second, after = _split(rest)
    if second and (verb := VERB_ALIASES.get(_fold(first + second))):  # "면제 취소", "블로그 교체"
        return verb, after
    return VERB_ALIASES.get(_fold(first)), rest


def _command(line: str, args: str) -> Command | CommandError:
    """One `/studybot` line read into a Command, or the reason it can't be."""
    if not args.strip():
        return Command(Verb.HELP, line)
    verb, args = _verb(args)
    if verb is None:
        return CommandError(line, CommandProblem.UNKNOWN_VERB)
    try:
        return _READERS[verb](line, args)
    except _Refused as refused:
        return CommandError(line, refused.problem, verb)


def carries_marker(body: str) -> bool:
    """Whether a comment holds studybot's hidden mark (or something written to look like it)."""
    return _BOT_MARKER.search(body) is not None


def parse_commands(body: str) -> tuple[Command | CommandError, ...]:
    """Every `/studybot` line of a comment outside quotes and code, in order."""
    found: list[Command | CommandError] = []
    for kind, text in _lines(body):
        match = _COMMAND.match(text) if kind is _Kind.TEXT else None
        if match:
            found.append(_command(text.strip(), text[match.end() :]))
    return tuple(found)
