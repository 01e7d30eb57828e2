"""Writes to a user's own account."""

from django.conf import settings

from officehours.accounts.models import User, new_calendar_token


def user_update_profile(
    *,
    user: User,
    name: str,
    language: str,
    time_zone: str,
    email_reminders: bool | None = None,
    email_digests: bool | None = None,
) -> User:
    """Saves the profile; an e-mail choice left out (None) stays as it was."""
    user.name = name.strip()
    user.language = language
    user.time_zone = time_zone
    if email_reminders is not None:
        user.email_reminders = email_reminders
    if email_digests is not None:
        user.email_digests = email_digests
    user.save(update_fields=["name", "language", "time_zone", "email_reminders", "email_digests"])
    return user


def user_set_language(*, user: User, language: str) -> User:
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"unknown language {language!r}")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user


def calendar_token_regenerate(*, user: User) -> str:
    """A new secret for the person's calendar feed addresses; the old addresses stop working."""
    user.calendar_token = new_calendar_token()
    user.save(update_fields=["calendar_token"])
    return user.calendar_token
