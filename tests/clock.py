"""The suite's fixed "now".

Monday 2 February 2026, 09:00 in Stockholm: the standard series (tests/conftest.py,
Thursdays 10:00) has its first session three days ahead, with no public holiday
and no change of the clocks near it. Tests that need a holiday or a daylight-saving
week travel to one of their own.
"""

from datetime import UTC, datetime

NOW = datetime(2026, 2, 2, 8, 0, tzinfo=UTC)
