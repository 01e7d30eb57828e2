"""The JSON API frame: token and session authentication, the error format, the schema."""

import json
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from officehours import permissions
from officehours.accounts.models import ApiToken
from officehours.accounts.tokens import api_token_authenticate, api_token_create
from tests.people import make_user

ME = "/api/v1/me"


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def token(employee):
    _stored, raw = api_token_create(user=employee, name="script")
    return raw


@pytest.mark.django_db
def test_me_with_a_valid_token(client, employee, token):
    response = client.get(ME, **bearer(token))
    assert response.status_code == 200
    assert response.json() == {
        "email": "anna@example.se",
        "name": "Anna Andersson",
        "language": "sv",
        "time_zone": "Europe/Stockholm",
        "roles": ["employee"],
    }
    assert ApiToken.objects.get(user=employee).last_used_at is not None


@pytest.mark.django_db
def test_me_lists_the_adviser_role(client, adviser):
    _stored, raw = api_token_create(user=adviser, name="x")
    assert client.get(ME, **bearer(raw)).json()["roles"] == ["employee", "adviser"]


@pytest.mark.django_db
def test_tokens_are_stored_hashed(employee, token):
    stored = ApiToken.objects.get(user=employee)
    assert token not in (stored.token_hash, stored.prefix, stored.name)
    assert token.startswith(stored.prefix)


@pytest.mark.django_db
def test_a_revoked_token_is_refused(client, employee, token):
    stored = ApiToken.objects.get(user=employee)
    stored.revoked_at = timezone.now()
    stored.save()
    response = client.get(ME, **bearer(token))
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header",
    [
        "Bearer abc",
        "Bearer fst_" + "x" * 43,  # well-formed, unknown
        "Bearer ",
        "Bearer fst_" + "é" * 43,
        "Bearer " + "a" * 5000,
    ],
)
def test_a_malformed_or_unknown_token_is_refused(client, employee, token, header):
    response = client.get(ME, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "invalid_token"
    assert body["message"]


@pytest.mark.django_db
@pytest.mark.parametrize("header", [None, "Basic YW5uYTpwdw==", "Token abc"])
def test_a_missing_token_is_not_authenticated(client, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get(ME, **extra)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.django_db
def test_a_token_of_a_deactivated_user_is_refused(client, employee, token):
    employee.is_active = False
    employee.save()
    assert client.get(ME, **bearer(token)).json()["code"] == "invalid_token"


@pytest.mark.django_db
def test_a_bad_token_does_not_fall_back_to_the_session(employee_client):
    response = employee_client.get(ME, **bearer("fst_" + "y" * 43))
    assert response.status_code == 401


@pytest.mark.django_db
def test_me_with_the_browser_session(employee_client):
    response = employee_client.get(ME)
    assert response.status_code == 200
    assert response.json()["email"] == "anna@example.se"


@pytest.mark.django_db
def test_session_writes_need_the_csrf_token(client, employee):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(employee)
    response = csrf_client.post("/api/v1/me/tokens", {"name": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"

    csrf_client.get(reverse("accounts:profile"))
    csrf = csrf_client.cookies["csrftoken"].value
    response = csrf_client.post(
        "/api/v1/me/tokens",
        {"name": "x"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert response.status_code == 201


@pytest.mark.django_db
def test_tokens_via_the_api(client, employee, token):
    created = client.post(
        "/api/v1/me/tokens", {"name": "report"}, content_type="application/json", **bearer(token)
    )
    assert created.status_code == 201
    new = created.json()
    assert new["token"].startswith("fst_")
    assert new["name"] == "report"
    listed = client.get("/api/v1/me/tokens", **bearer(token)).json()
    assert {t["name"] for t in listed} == {"script", "report"}
    assert all("token" not in t for t in listed)
    revoked = client.delete(f"/api/v1/me/tokens/{new['id']}", **bearer(token))
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    assert client.get(ME, **bearer(new["token"])).status_code == 401


@pytest.mark.django_db
def test_an_outsider_cannot_revoke_someone_elses_token(client, employee, other_employee, token):
    _stored, other_raw = api_token_create(user=other_employee, name="bo's")
    anna_token = ApiToken.objects.get(user=employee)
    response = client.delete(f"/api/v1/me/tokens/{anna_token.pk}", **bearer(other_raw))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert ApiToken.objects.get(pk=anna_token.pk).revoked_at is None
    assert [t["name"] for t in client.get("/api/v1/me/tokens", **bearer(other_raw)).json()] == [
        "bo's"
    ]


@pytest.mark.django_db
def test_an_unverified_user_cannot_create_tokens(client):
    user = make_user("new@example.se", verified=False)
    _stored, raw = api_token_create(user=user, name="x")
    response = client.post(
        "/api/v1/me/tokens", {"name": "y"}, content_type="application/json", **bearer(raw)
    )
    assert response.status_code == 403
    assert response.json()["code"] == "email_unverified"


@pytest.mark.django_db
@pytest.mark.parametrize("payload", [{}, {"name": ""}, {"name": "x" * 101}, {"name": 5}])
def test_invalid_input_is_a_json_422(client, token, payload):
    response = client.post(
        "/api/v1/me/tokens", payload, content_type="application/json", **bearer(token)
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"]


@pytest.mark.django_db
def test_broken_json_is_a_4xx_not_a_500(client, token):
    response = client.post(
        "/api/v1/me/tokens", "{not json", content_type="application/json", **bearer(token)
    )
    assert 400 <= response.status_code < 500
    assert "code" in response.json()


@pytest.mark.django_db
def test_unknown_api_paths_answer_in_json(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.django_db
def test_errors_are_translated(client):
    response = client.get(ME, HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["message"].startswith("Sign in")
    response = client.get(ME, HTTP_ACCEPT_LANGUAGE="sv")
    assert response.json()["message"].startswith("Logga in")


@pytest.mark.django_db
def test_the_openapi_schema_and_docs(client):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/me" in paths
    assert "/api/v1/me/tokens" in paths
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert "cdn." not in docs.content.decode()


def _no_repeated_keys(pairs):
    keys = [key for key, _value in pairs]
    assert len(keys) == len(set(keys)), f"repeated keys in the schema: {keys}"
    return dict(pairs)


@pytest.mark.django_db
def test_the_openapi_schema_repeats_no_key(client):
    # The docs page's parser refuses a schema with a repeated key ("duplicated mapping
    # key"): an operation's extra responses once added "200" beside ninja's 200.
    text = client.get("/api/v1/openapi.json").content.decode()
    json.loads(text, object_pairs_hook=_no_repeated_keys)


@pytest.mark.django_db
def test_create_api_token_command_prints_a_working_token(client, employee, capsys):
    call_command("create_api_token", "Anna@Example.se", "--name", "nightly report")
    raw = capsys.readouterr().out.strip()
    assert client.get(ME, **bearer(raw)).status_code == 200
    assert ApiToken.objects.get(user=employee).name == "nightly report"


@pytest.mark.django_db
def test_create_api_token_command_refuses_unknown_users():
    with pytest.raises(CommandError, match="No active user"):
        call_command("create_api_token", "nobody@example.se")


@pytest.mark.django_db
def test_last_use_is_written_at_most_once_a_minute(client, employee, token):
    client.get(ME, **bearer(token))
    first = ApiToken.objects.get(user=employee).last_used_at
    client.get(ME, **bearer(token))
    assert ApiToken.objects.get(user=employee).last_used_at == first
    ApiToken.objects.filter(user=employee).update(last_used_at=first - timedelta(minutes=2))
    client.get(ME, **bearer(token))
    assert ApiToken.objects.get(user=employee).last_used_at > first


@pytest.mark.django_db
def test_last_use_is_compared_to_the_second_on_whole_seconds(frozen_now, employee, token):
    # Whole seconds are stored without a fraction (text on SQLite): the comparison must
    # still read 59.5 s as recent and 61 s as stale.
    frozen_now.move_to(timezone.now().replace(microsecond=0))
    assert api_token_authenticate(token) == employee
    first = ApiToken.objects.get(user=employee).last_used_at
    frozen_now.shift(timedelta(seconds=59, microseconds=500_000))
    api_token_authenticate(token)
    assert ApiToken.objects.get(user=employee).last_used_at == first
    frozen_now.shift(timedelta(seconds=1, microseconds=500_000))
    api_token_authenticate(token)
    assert ApiToken.objects.get(user=employee).last_used_at == timezone.now()


@pytest.mark.django_db
def test_a_token_is_checked_in_one_query(employee, token, django_assert_num_queries):
    api_token_authenticate(token)  # the first use writes last_used_at
    with django_assert_num_queries(1):
        user = api_token_authenticate(token)
        # Whether the address is verified came with it.
        assert permissions.is_employee(user)
    EmailAddress.objects.filter(user=employee).update(verified=False)
    assert not permissions.is_employee(api_token_authenticate(token))


@pytest.mark.django_db
@pytest.mark.parametrize("method,path", [("post", ME), ("put", "/api/v1/me/tokens")])
def test_a_wrong_method_is_a_json_405(client, token, method, path):
    response = getattr(client, method)(path, **bearer(token))
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


@pytest.mark.django_db
def test_an_oversized_body_is_a_413_not_a_500(client, token, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post(
        "/api/v1/me/tokens",
        {"name": "x" * 5000},
        content_type="application/json",
        **bearer(token),
    )
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"


@pytest.mark.django_db
# A NUL is refused before the API: a 400 (tests/test_odd_input.py).
@pytest.mark.parametrize("name", ["   ", "tab\there"])
def test_token_names_must_be_printable_text(client, token, name):
    response = client.post(
        "/api/v1/me/tokens", {"name": name}, content_type="application/json", **bearer(token)
    )
    assert response.status_code == 422
    assert ApiToken.objects.count() == 1


@pytest.mark.django_db
def test_token_callers_get_answers_in_their_profile_language(client, other_employee):
    _stored, raw = api_token_create(user=other_employee, name="x")  # Bo's profile says English
    response = client.delete("/api/v1/me/tokens/999", HTTP_ACCEPT_LANGUAGE="sv", **bearer(raw))
    assert response.json() == {"code": "not_found", "message": "Not found."}
    assert response["Content-Language"] == "en"


@pytest.mark.django_db
def test_unverified_users_cannot_list_or_revoke_tokens(client):
    user = make_user("new@example.se", verified=False)
    stored, raw = api_token_create(user=user, name="x")
    assert client.get("/api/v1/me/tokens", **bearer(raw)).status_code == 403
    assert client.delete(f"/api/v1/me/tokens/{stored.pk}", **bearer(raw)).status_code == 403
    # /me still answers, so a script can see why: no roles yet.
    assert client.get(ME, **bearer(raw)).json()["roles"] == []


@pytest.mark.django_db
def test_create_api_token_command_refuses_unverified_users():
    make_user("new@example.se", verified=False)
    with pytest.raises(CommandError, match="has not verified"):
        call_command("create_api_token", "new@example.se")


@pytest.mark.django_db
def test_token_list_query_count_is_constant(client, employee, token, django_assert_max_num_queries):
    for n in range(5):
        api_token_create(user=employee, name=f"token {n}")
    with django_assert_max_num_queries(6):
        assert len(client.get("/api/v1/me/tokens", **bearer(token)).json()) == 6
