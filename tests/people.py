"""Users for tests, made as sign-up makes them: a verified e-mail address, a role."""

from __future__ import annotations

from allauth.account.models import EmailAddress

from officehours.accounts.models import User
from officehours.accounts.roles import adviser_grant


def make_user(
    email: str,
    *,
    name: str = "",
    password: str = "correct horse battery",
    verified: bool = True,
    adviser: bool = False,
    language: str = "sv",
    **extra,
) -> User:
    user = User.objects.create_user(
        email=email, password=password, name=name, language=language, **extra
    )
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    if adviser:
        adviser_grant(user=user)
    return user
