"""Accounts: coordinators (one partnership each) and CJS analysts, and their API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from cjreturns.core.errors import UsageError
from cjreturns.register.models import ApiToken, User
from cjreturns.register.services.audit import audit
from cjreturns.register.services.partnerships import partnership_named


def add_user(email: str, *, role: str, password: str, partnership: str | None = None) -> User:
    """A new coordinator or analyst; the password must pass Django's validators."""
    if role not in {User.Role.COORDINATOR, User.Role.ANALYST}:
        raise UsageError(f"--role {role!r}: choose coordinator or analyst")
    place = None
    if role == User.Role.COORDINATOR:
        if not partnership:
            raise UsageError("a coordinator needs --partnership NAME")
        place = partnership_named(partnership)
    elif partnership:
        raise UsageError("an analyst works for CJS, not a partnership: leave out --partnership")
    email = email.strip().lower()
    if User.objects.filter(email=email).exists():
        raise UsageError(f"{email} already has an account")
    candidate = User(email=email, role=role, partnership=place)
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        raise UsageError("password refused: " + " ".join(exc.messages)) from exc
    with transaction.atomic():
        # Analysts run the service for CJS: they also manage accounts in Django's admin.
        staff = role == User.Role.ANALYST
        user = User.objects.create_user(
            email, password, role=role, partnership=place, is_staff=staff, is_superuser=staff
        )
        audit("user-added", actor=None, partnership=place, detail={"email": email, "role": role})
    return user


def user_named(email: str) -> User:
    try:
        return User.objects.get(email=email.strip().lower())
    except User.DoesNotExist:
        raise UsageError(f"no account for {email}") from None


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token(user: User) -> str:
    """A new API token for `user`. Only its digest is kept: it is shown once, here."""
    token = "cjr_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        ApiToken.objects.create(user=user, digest=token_digest(token))
        audit("token-issued", actor=user)
    return token


def user_for_token(token: str) -> User | None:
    """The active account a token that is not revoked belongs to; None for any other token.

    Asked on every API request, so it is one query for the user and their partnership (a
    digest is unique, so `get` needs no ordering), and nothing is cached: a revoked token or a
    deactivated account is refused from the next request on."""
    try:
        return User.objects.select_related("partnership").get(
            tokens__digest=token_digest(token), tokens__revoked_at__isnull=True, is_active=True
        )
    except User.DoesNotExist:
        return None
