"""Who may read which FAQ entries.

Published entries: every employee, or anyone at all when FAQ_PUBLIC is on (an
intranet). Drafts and archived entries: comms advisers only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings

from faq.models import Entry
from officehours.permissions import is_adviser, is_employee

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from officehours.accounts.models import User


def can_read_faq(user: User | AnonymousUser | None) -> bool:
    return settings.FAQ_PUBLIC or is_employee(user)


def can_see_entry(user: User | AnonymousUser | None, entry: Entry) -> bool:
    if entry.state == Entry.PUBLISHED:
        return can_read_faq(user)
    return is_adviser(user)


def can_vote(user: User | AnonymousUser | None) -> bool:
    """One vote per person: voting needs a signed-in employee, even on a public FAQ."""
    return is_employee(user)
