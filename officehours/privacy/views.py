import json

from allauth.account.decorators import reauthentication_required
from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from officehours.permissions import employee_required
from officehours.privacy.services import user_delete, user_export


@never_cache
@employee_required
def export(request):
    data = user_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    filename = f"fragestund-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class DeleteForm(forms.Form):
    email = forms.CharField(
        label=gettext_lazy("Type your e-mail address to confirm"), max_length=254
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if email.lower() != self.user.email.lower():
            raise forms.ValidationError(_("That is not your e-mail address."))
        return email


@never_cache
@employee_required
# Deleting is for the account's owner, not whoever has the session: the password (or,
# without one, a code sent to the address) given again in the last few minutes
# (allauth's reauthentication; a POST that comes too late is carried out after it).
@reauthentication_required
def delete(request):
    form = DeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        user_delete(user=user)
        messages.success(request, _("Your account is deleted."))
        return redirect("home")
    status = 400 if request.method == "POST" else 200
    return render(request, "privacy/delete.html", {"form": form}, status=status)
