from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from officehours.accounts.forms import ApiTokenForm, LanguageForm, ProfileForm
from officehours.accounts.models import ApiToken
from officehours.accounts.services import (
    calendar_token_regenerate,
    user_set_language,
    user_update_profile,
)
from officehours.accounts.tokens import api_token_create, api_token_revoke
from officehours.calendars.addresses import feed_addresses
from officehours.permissions import employee_required

# The profile form has a "name" field too: the token form's own ids keep each label
# on its own field (two id="id_name" sent the token field's label to the profile's).
TOKEN_FORM_AUTO_ID = "id_token_%s"  # noqa: S105 (element ids, not a secret)


def _profile_page(request, *, form=None, token_form=None, new_token=None, status=200):
    tokens = ApiToken.objects.filter(user=request.user)
    context = {
        "form": form or ProfileForm(instance=request.user),
        "token_form": token_form or ApiTokenForm(auto_id=TOKEN_FORM_AUTO_ID),
        "tokens": tokens,
        "new_token": new_token,
        "calendar_feeds": feed_addresses(request.user),
    }
    response = render(request, "accounts/profile.html", context, status=status)
    if new_token:
        # The secret is in this page only; keep it out of every cache.
        response["Cache-Control"] = "no-store"
    return response


@never_cache
@employee_required
def profile(request):
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=request.user)
        if form.is_valid():
            user_update_profile(user=request.user, **form.cleaned_data)
            translation.activate(request.user.language)
            messages.success(request, _("Your profile is saved."))
            response = redirect("accounts:profile")
            _remember_language(response, request.user.language)
            return response
        return _profile_page(request, form=form, status=400)
    return _profile_page(request)


@never_cache
@require_POST
@employee_required
def token_create(request):
    form = ApiTokenForm(request.POST, auto_id=TOKEN_FORM_AUTO_ID)
    if not form.is_valid():
        return _profile_page(request, token_form=form, status=400)
    _token, raw = api_token_create(user=request.user, name=form.cleaned_data["name"])
    return _profile_page(request, new_token=raw)


@require_POST
@employee_required
def token_revoke(request, token_id: int):
    try:
        token = api_token_revoke(user=request.user, token_id=token_id)
    except ApiToken.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:profile")


@require_POST
@employee_required
def calendar_regenerate(request):
    calendar_token_regenerate(user=request.user)
    messages.success(request, _("Your calendar addresses are new. The old ones no longer work."))
    return redirect(f"{reverse('accounts:profile')}#calendar-heading")


@require_POST
def set_language(request):
    """The language switcher: remembered in a cookie, and on the profile when signed in."""
    form = LanguageForm(request.POST)
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if not form.is_valid():
        messages.error(request, _("That language is not available."))
        return response
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        user_set_language(user=request.user, language=language)
    translation.activate(language)
    _remember_language(response, language)
    return response


def _remember_language(response, language):
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE or 365 * 24 * 3600,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
