"""allauth's sign-up form, doing the same work for a taken address as for a new one.

With ACCOUNT_PREVENT_ENUMERATION, a taken address gets the same answer as a new one
and its owner an "account already exists" e-mail instead of a second account. The
answer was alike but not its time: a new address pays for hashing its password
(about 250 ms with Django's PBKDF2), a taken one did not, so the time told who has an
account. Both now hash once and send one e-mail (tests/test_signup_timing.py counts
them; bench/signup_timing.py times them). What still differs is a new account's few
rows, written in one commit rather than three (a few milliseconds, bench/README.md).

This module is apart from forms.py because allauth builds its own sign-up form on top
of ACCOUNT_SIGNUP_FORM_CLASS (forms.SignupNameForm): importing allauth's form there
would be circular.
"""

from __future__ import annotations

from allauth.account.forms import SignupForm as AllauthSignupForm
from django.contrib.auth.hashers import make_password
from django.db import transaction


class SignupForm(AllauthSignupForm):
    def try_save(self, request):
        if self.account_already_exists:
            # The hash a new account's set_password() computes, thrown away.
            make_password(self.cleaned_data["password1"])
        return super().try_save(request)

    def save(self, request):
        # The user, its name and its address in one commit: never an account without its
        # address, and the least time a new address takes beyond a taken one.
        with transaction.atomic():
            return super().save(request)
