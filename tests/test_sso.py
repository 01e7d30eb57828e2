"""Single sign-on through OpenID Connect. The identity provider is faked (we cannot run one)."""

from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from officehours.accounts.adapters import SocialAccountAdapter
from officehours.accounts.models import User

ISSUER = "https://login.example-idp.test/tenant/v2.0"


@pytest.fixture
def sso(settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "sso",
                    "name": "Company SSO",
                    "client_id": "client-id",
                    "secret": "client-secret",
                    "settings": {
                        "server_url": ISSUER,
                        "verified_email": True,
                        "email_authentication": True,
                    },
                }
            ],
        }
    }
    settings.OIDC_SERVER_URL = ISSUER


class FakeResponse:
    def __init__(self, payload, status=200):
        self._payload = payload
        self.status_code = status
        self.headers = {"content-type": "application/json"}
        self.text = str(payload)
        self.content = self.text.encode()

    def json(self):
        return self._payload

    def raise_for_status(self):
        if self.status_code >= 400:
            raise RuntimeError(self.status_code)


class FakeIdentityProvider:
    """Answers discovery, the token exchange and userinfo like Entra ID would."""

    def __init__(self, claims):
        self.claims = claims

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def get(self, url, **kwargs):
        if url.endswith("/.well-known/openid-configuration"):
            return FakeResponse(
                {
                    "issuer": ISSUER,
                    "authorization_endpoint": ISSUER + "/authorize",
                    "token_endpoint": ISSUER + "/token",
                    "userinfo_endpoint": ISSUER + "/userinfo",
                    "jwks_uri": ISSUER + "/keys",
                    "token_endpoint_auth_methods_supported": ["client_secret_post"],
                }
            )
        if url == ISSUER + "/userinfo":
            return FakeResponse(self.claims)
        return FakeResponse({}, status=404)

    def request(self, method, url, **kwargs):
        if url == ISSUER + "/token":
            return FakeResponse({"access_token": "at", "token_type": "Bearer", "expires_in": 3600})
        return self.get(url)


@pytest.fixture
def idp(monkeypatch):
    provider = FakeIdentityProvider({})
    monkeypatch.setattr(SocialAccountAdapter, "get_requests_session", lambda self: provider)
    return provider


def sign_in_through_sso(client):
    start = client.post(reverse("openid_connect_login", kwargs={"provider_id": "sso"}))
    assert start.status_code == 302, start.content
    authorize = urlsplit(start.url)
    assert authorize.path.endswith("/authorize")
    state = parse_qs(authorize.query)["state"][0]
    return client.get(
        reverse("openid_connect_callback", kwargs={"provider_id": "sso"}),
        {"code": "the-code", "state": state},
    )


@pytest.mark.django_db
def test_first_sso_sign_in_creates_a_verified_account(client, sso, idp):
    idp.claims = {"sub": "42", "email": "sara@example.se", "name": "Sara Svensson"}
    response = sign_in_through_sso(client)
    assert response.status_code == 302
    user = User.objects.get(email="sara@example.se")
    assert user.name == "Sara Svensson"
    assert EmailAddress.objects.get(user=user).verified
    assert int(client.session["_auth_user_id"]) == user.pk


@pytest.mark.django_db
def test_a_name_from_the_identity_provider_comes_in_on_one_line(client, sso, idp):
    """The name reaches e-mail headers and calendar invitations."""
    idp.claims = {"sub": "43", "email": "sam@example.se", "name": "Sam\r\nBcc: x@evil.test"}
    sign_in_through_sso(client)
    assert User.objects.get(email="sam@example.se").name == "Sam Bcc: x@evil.test"


@pytest.mark.django_db
def test_sso_signs_in_an_existing_account_by_its_address(client, sso, idp, employee):
    idp.claims = {"sub": "7", "email": employee.email, "name": "Anna"}
    sign_in_through_sso(client)
    assert int(client.session["_auth_user_id"]) == employee.pk
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_sso_refuses_addresses_outside_the_allowed_domains(client, sso, idp):
    idp.claims = {"sub": "9", "email": "guest@gmail.com", "name": "Guest"}
    response = sign_in_through_sso(client)
    assert response.status_code == 403
    assert "example.se" in response.content.decode()
    assert not User.objects.filter(email="guest@gmail.com").exists()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_sign_in_page_offers_sso_only_when_configured(client, settings, sso):
    body = client.get(reverse("account_login")).content.decode()
    assert "Company SSO" in body
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": []}}
    body = client.get(reverse("account_login")).content.decode()
    assert "Company SSO" not in body
