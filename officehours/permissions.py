"""Who may do what. Every view and API endpoint asks this module.

Roles:
- employee: any active user with a verified e-mail address;
- comms adviser: an employee with the adviser permission (given by the
  "Comms advisers" group; `manage.py make_adviser EMAIL`);
- administrator: an active staff user (Django admin).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeGuard, TypeVar

from allauth.account.models import EmailAddress
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from officehours.accounts.models import User
    from officehours.questions.models import Question

_P = ParamSpec("_P")
_R = TypeVar("_R")
_Request = TypeVar("_Request", bound=HttpRequest)

ADVISER_GROUP = "Comms advisers"
ADVISER_PERMISSION = "accounts.access_adviser_pages"

EMPLOYEE = "employee"
ADVISER = "adviser"
ADMINISTRATOR = "administrator"


def has_verified_email(user: User) -> bool:
    # Cached on the user object: asked several times per request.
    cached = getattr(user, "_fragestund_verified", None)
    if cached is None:
        cached = EmailAddress.objects.filter(user=user, verified=True).exists()
        user._fragestund_verified = cached
    return cached


def is_employee(user: User | AnonymousUser | None) -> TypeGuard[User]:
    return bool(user and user.is_authenticated and user.is_active and has_verified_email(user))


def is_adviser(user: User | AnonymousUser | None) -> TypeGuard[User]:
    return is_employee(user) and user.has_perm(ADVISER_PERMISSION)


def is_administrator(user: User | AnonymousUser | None) -> TypeGuard[User]:
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def roles_of(user: User | AnonymousUser | None) -> list[str]:
    roles = []
    if is_employee(user):
        roles.append(EMPLOYEE)
    if is_adviser(user):
        roles.append(ADVISER)
    if is_administrator(user):
        roles.append(ADMINISTRATOR)
    return roles


def _role_required(
    check: Callable[[User], bool],
) -> Callable[
    [Callable[Concatenate[_Request, _P], _R]],
    Callable[Concatenate[_Request, _P], _R | HttpResponseRedirect],
]:
    def decorator(
        view: Callable[Concatenate[_Request, _P], _R],
    ) -> Callable[Concatenate[_Request, _P], _R | HttpResponseRedirect]:
        @wraps(view)
        def wrapped(
            request: _Request, /, *args: _P.args, **kwargs: _P.kwargs
        ) -> _R | HttpResponseRedirect:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


employee_required = _role_required(is_employee)
adviser_required = _role_required(is_adviser)


def can_view_question(user: User, question: Question) -> bool:
    """Private to its author and the advisers; a shared open or answered one also to
    colleagues, and any one to its followers (a merge can make someone follow a
    private question): both always without the author's name. A question asked in a
    live hour that waits for approval, or that an adviser hid, is for its author and
    the advisers only."""
    if not is_employee(user):
        return False
    if question.author_id == user.pk or is_adviser(user):
        return True
    if question.live_status not in question.LIVE_SEEN:
        return False
    if question.shared and question.state in (question.SUBMITTED, question.ANSWERED):
        return True
    return question.state != question.WITHDRAWN and question.me_toos.filter(user=user).exists()


def sees_question_author(user: User, question: Question) -> bool:
    """Colleagues never learn who asked a shared question."""
    return question.author_id == user.pk or is_adviser(user)
