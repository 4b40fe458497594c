"""User-facing text. Each language module holds the same templates; this picks one."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from types import ModuleType

from studybot.core.evidence import Notice
from studybot.core.verdicts import Verdict

LANGUAGES = ("ko", "en")


class Messages:
    """The templates of one language, filled in with ``t(key, **fields)``."""

    def __init__(self, module: ModuleType):
        self.language = module.__name__.rsplit(".", 1)[-1]
        self._module = module
        self.text: dict[str, str] = module.TEXT

    def t(self, key: str, **fields: object) -> str:
        return self.text[key].format(**fields)

    def money(self, amount: int, currency: str) -> str:
        return str(self._module.money(amount, currency))

    def weekday(self, day: dt.date) -> str:
        return str(self._module.WEEKDAYS[day.weekday()])

    def when(self, instant: dt.datetime) -> str:
        """A local instant as members say it: ``4월 13일(수) 00:00`` / ``Wed 13 Apr 00:00``."""
        return self.when_spoken(instant)

    def month(self, number: int) -> str:
        """A month as the study's language names it in a date (``4`` for 4월, ``Apr``)."""
        return str(self._module.MONTHS[number - 1])

    def when_spoken(self, instant: dt.datetime) -> str:
        """A local instant the way people say it: ``4월 13일(수) 00:00`` / ``Wed 13 Apr 00:00``."""
        return self.t(
            "time.spoken",
            month=self._module.MONTHS[instant.month - 1],
            day=instant.day,
            weekday=self.weekday(instant.date()),
            time=f"{instant:%H:%M}",
        )

    def deadline_spoken(self, instant: dt.datetime) -> str:
        """A deadline "before ``instant``" as the last minute that still counts: ``5월 31일(화) 23:59까지``."""
        # "Before Wednesday 00:00" reads to a member as Wednesday; the last minute that counts is Tuesday 23:59.
        last = instant - dt.timedelta(minutes=1)
        normalize = getattr(instant.tzinfo, "normalize", None)  # pytz zones fix the offset after arithmetic
        if normalize is not None:
            last = normalize(last)
        return self.t("time.until", when=self.when_spoken(last))

    def break_name(self, name: str) -> str:
        """A break's own name, or "" when it has none beyond the word itself: a break named 휴식 shows as 휴식, not 휴식: 휴식."""
        name = name.strip()
        return "" if name.casefold() == self.t("ics.break_only").casefold() else name

    def verdict(self, verdict: Verdict) -> str:
        return self.text[f"verdict.{verdict.value}"]

    def notice(
        self,
        notice: Notice,
        escape: Callable[[str], str] = str,
        local: Callable[[dt.datetime], dt.datetime] | None = None,
    ) -> str:
        """A warning as a sentence; ``escape`` protects the parts members wrote, ``local`` puts
        its time in the study's zone (``Schedule.local``)."""
        where = self.t("notice.where", week=notice.week) if notice.week is not None else ""
        at = ""
        if notice.at is not None:
            at = self.when_spoken(local(notice.at) if local else notice.at)
        return self.t(
            f"notice.{notice.problem.value}",
            where=where,
            week=notice.week,
            week_or=notice.week if notice.week is not None else self.t("notice.any_week"),
            member=escape(notice.member or ""),
            detail=escape(notice.detail),
            other=escape(notice.other),
            at=at,
            ref=notice.ref[:7],
        ).strip()


MARKS = {
    Verdict.ON_TIME: "✅",
    Verdict.LATE: "⏰",
    Verdict.ABSENT: "❌",
    Verdict.PENDING: "⏳",
    Verdict.EXCUSED: "🙏",
    Verdict.NOT_MEMBER: "·",
}


def messages_for(language: str) -> Messages:
    if language not in LANGUAGES:
        raise ValueError(f"no messages for language {language!r}")
    return Messages(importlib.import_module(f"studybot.core.messages.{language}"))
