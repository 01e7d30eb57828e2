"""Comparing two revisions of an entry, line by line, for the advisers' history page."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from faq.models import Revision


@dataclass(frozen=True)
class Line:
    change: str  # "same", "removed" or "added"
    text: str


@dataclass(frozen=True)
class FieldDiff:
    label: str
    lines: list[Line]

    @property
    def changed(self) -> bool:
        return any(line.change != "same" for line in self.lines)


def line_diff(old: str, new: str) -> list[Line]:
    old_lines, new_lines = old.splitlines(), new.splitlines()
    lines: list[Line] = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            lines += [Line("same", text) for text in old_lines[a1:a2]]
            continue
        lines += [Line("removed", text) for text in old_lines[a1:a2]]
        lines += [Line("added", text) for text in new_lines[b1:b2]]
    return lines


def revision_diff(old: Revision, new: Revision) -> list[FieldDiff]:
    def topic(revision: Revision) -> str:
        return revision.topic.name if revision.topic else "–"

    return [
        FieldDiff(str(_("Question")), line_diff(old.title, new.title)),
        FieldDiff(str(_("Answer")), line_diff(old.answer, new.answer)),
        FieldDiff(str(_("Topic")), line_diff(topic(old), topic(new))),
        FieldDiff(str(_("Tags")), line_diff(", ".join(old.tags), ", ".join(new.tags))),
        FieldDiff(str(_("Language")), line_diff(old.language, new.language)),
    ]
