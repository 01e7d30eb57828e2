"""allauth hooks: the e-mail domain rule, names, and mail in the recipient's language."""

from __future__ import annotations

from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal import ratelimit
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from officehours.accounts.models import User
from officehours.text import one_line


def email_domain_allowed(email: str) -> bool:
    allowed = settings.ALLOWED_EMAIL_DOMAINS
    if not allowed:
        return True
    return email.rpartition("@")[2].lower() in allowed


def domain_rule_message() -> str:
    return _("Only addresses at %(domains)s can be used here. Use your work e-mail address.") % {
        "domains": ", ".join(settings.ALLOWED_EMAIL_DOMAINS)
    }


def language_for_email(email: str) -> str:
    """The language a message to this address is written in."""
    user = (
        User.objects.filter(Q(email__iexact=email) | Q(emailaddress__email__iexact=email))
        .only("language")
        .first()
    )
    if user is not None and user.language:
        return user.language
    return translation.get_language() or settings.LANGUAGE_CODE


class SiteInfo:
    name = "Frågestund"

    @property
    def domain(self):
        return urlsplit(settings.SITE_URL).netloc


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email):
        email = super().clean_email(email)
        if not email_domain_allowed(email):
            raise ValidationError(domain_rule_message(), code="email_domain")
        return email

    def save_user(self, request, user, form, commit=True):
        user.language = _active_language()
        return super().save_user(request, user, form, commit=commit)

    def _get_login_attempts_cache_key(self, request, **credentials):
        # allauth counts failed sign-ins per address (ACCOUNT_RATE_LIMITS "login_failed",
        # …/key), so five wrong passwords from anyone locked the address for everyone:
        # anyone could lock a colleague out. Counting per address *and* client keeps the
        # lock with whoever guessed; the per-client limit (…/ip) still stops one client
        # trying many addresses. The client is the one the per-client limit counts
        # (IPv6 by network). A password reset lifts the lock for the client that reset.
        address_key = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{address_key}:{ratelimit.get_ip(request)}"

    def send_mail(self, template_prefix, email, context):
        # Mails greet from the site: Frågestund at SITE_URL, not the request host.
        context = {**context, "current_site": SiteInfo()}
        with translation.override(language_for_email(email)):
            super().send_mail(template_prefix, email, context)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def pre_social_login(self, request, sociallogin):
        addresses = [a.email for a in sociallogin.email_addresses] or [sociallogin.user.email]
        if not any(a and email_domain_allowed(a) for a in addresses):
            response = render(
                request,
                "accounts/sso_refused.html",
                {"message": domain_rule_message()},
                status=403,
            )
            raise ImmediateHttpResponse(response)
        super().pre_social_login(request, sociallogin)

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        full_name = data.get("name") or " ".join(
            part for part in (data.get("first_name"), data.get("last_name")) if part
        )
        user.name = one_line(full_name or "")[:150]
        user.language = _active_language()
        return user


def _active_language() -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else settings.LANGUAGE_CODE
