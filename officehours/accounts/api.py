"""API endpoints about the caller: who they are and their personal tokens."""

import unicodedata
from datetime import datetime

from django.http import Http404
from ninja import Router, Schema, Status
from pydantic import Field, field_validator

from officehours.accounts.models import ApiToken
from officehours.accounts.tokens import api_token_create, api_token_revoke
from officehours.apiauth import ANY_USER_AUTH, ApiRequest
from officehours.permissions import roles_of

router = Router(tags=["me"])


class MeOut(Schema):
    email: str
    name: str
    language: str
    time_zone: str
    roles: list[str]


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenIn(Schema):
    name: str = Field(min_length=1, max_length=100, description="What the token is for.")

    @field_validator("name")
    @classmethod
    def _clean_name(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("must not be blank")
        if any(unicodedata.category(ch) == "Cc" for ch in value):
            raise ValueError("must not contain control characters")
        return value


class NewTokenOut(TokenOut):
    token: str = Field(description="The secret. Shown only in this response.")


@router.get("/me", response=MeOut, summary="Who is calling", auth=ANY_USER_AUTH)
def me(request: ApiRequest) -> MeOut:
    user = request.user
    return MeOut(
        email=user.email,
        name=user.name,
        language=user.language,
        time_zone=user.time_zone,
        roles=roles_of(user),
    )


@router.get("/me/tokens", response=list[TokenOut], summary="My API tokens")
def list_tokens(request: ApiRequest) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=request.user))


@router.post("/me/tokens", response={201: NewTokenOut}, summary="Create an API token")
def create_token(request: ApiRequest, payload: TokenIn) -> Status[NewTokenOut]:
    token, raw = api_token_create(user=request.user, name=payload.name)
    return Status(201, NewTokenOut(**TokenOut.from_orm(token).model_dump(), token=raw))


@router.delete("/me/tokens/{token_id}", response=TokenOut, summary="Revoke an API token")
def revoke_token(request: ApiRequest, token_id: int) -> ApiToken:
    try:
        return api_token_revoke(user=request.user, token_id=token_id)
    except ApiToken.DoesNotExist:
        raise Http404 from None
