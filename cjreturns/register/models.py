"""What the register keeps. Submissions, answers, decisions and audit events are only ever
added: a new upload is a new version, a decision is a new row, and the audit log refuses updates
and deletes."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models


class Partnership(models.Model):
    """One of the 30 Community Justice Partnerships, loaded from the reference data."""

    ref_id = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        return self.name


class Collection(models.Model):
    """One year's collection of returns, with its deadline from the reporting calendar."""

    year = models.CharField(max_length=7, unique=True)  # "2021-22"
    framework = models.CharField(max_length=100)
    deadline = models.DateField()

    class Meta:
        ordering: ClassVar = ["-year"]

    def __str__(self) -> str:
        return self.year


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("an email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("role", User.Role.ANALYST)
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in: a partnership's coordinator, or a CJS analyst."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", "Coordinator"
        ANALYST = "analyst", "Analyst"

    username = None
    email = models.EmailField("email address", unique=True)
    role = models.CharField(max_length=20, choices=Role.choices)
    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []
    objects = UserManager()

    class Meta:
        ordering: ClassVar = ["email"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(role="analyst", partnership__isnull=True)
                | models.Q(role="coordinator", partnership__isnull=False),
                name="coordinator_has_partnership",
            )
        ]

    @property
    def is_analyst(self) -> bool:
        return self.role == self.Role.ANALYST

    def __str__(self) -> str:
        return self.email


class ApiToken(models.Model):
    """An API token, stored only as its SHA-256: the register cannot give a token back."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)


class Submission(models.Model):
    """One upload of one partnership's return for one year: a version, never changed after.

    Only `status` moves (submitted -> returned or accepted) and only by a Decision.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned"
        ACCEPTED = "accepted", "Accepted"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="submissions"
    )
    collection = models.ForeignKey(Collection, on_delete=models.PROTECT, related_name="submissions")
    version = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()
    channel = models.CharField(max_length=20)  # portal, api, cli
    file_name = models.CharField(max_length=255)
    content = models.BinaryField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    format = models.CharField(max_length=10)
    tool_version = models.CharField(max_length=40)
    rules_version = models.CharField(max_length=80)
    findings = models.JSONField()  # one file's entry of `cjreturns validate --format json`
    valid = models.BooleanField()
    errors = models.PositiveIntegerField()
    warnings = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    sign_off_name = models.CharField(max_length=200, blank=True)
    sign_off_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["collection", "partnership", "version"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["partnership", "collection", "version"], name="one_row_per_version"
            )
        ]
        indexes: ClassVar = [models.Index(fields=["collection", "partnership", "-version"])]

    def __str__(self) -> str:
        return f"{self.partnership} {self.collection} v{self.version}"


class QueryAnswer(models.Model):
    """A partnership's explanation for one warning (a query) on one submission."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="answers")
    rule = models.CharField(max_length=80)
    path = models.CharField(max_length=300)
    explanation = models.TextField()
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering: ClassVar = ["at", "id"]


class Decision(models.Model):
    """CJS's decision on a submission: accept it for the national counts, or return it."""

    class Kind(models.TextChoices):
        ACCEPT = "accept", "Accept"
        RETURN = "return", "Return"

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="decisions")
    decision = models.CharField(max_length=10, choices=Kind.choices)
    message = models.TextField(blank=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering: ClassVar = ["at", "id"]


class AppendOnlyError(Exception):
    """An attempt to change or remove a row of the audit log."""


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("the audit log is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("the audit log is append-only")


class AuditEvent(models.Model):
    """One action in the register: who did what to which partnership's return, and when."""

    at = models.DateTimeField()
    actor = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    actor_email = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=40)
    partnership = models.ForeignKey(
        Partnership, null=True, on_delete=models.PROTECT, related_name="+"
    )
    year = models.CharField(max_length=7, blank=True)
    submission = models.ForeignKey(
        Submission, null=True, on_delete=models.PROTECT, related_name="+"
    )
    detail = models.JSONField(default=dict)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["at", "id"]
        indexes: ClassVar = [models.Index(fields=["year", "partnership", "action"])]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("the audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("the audit log is append-only")


class OutputRun(models.Model):
    """An aggregate or report run from the accepted submissions, its files kept for download."""

    kind = models.CharField(max_length=20)  # aggregate, report
    year = models.CharField(max_length=7)
    at = models.DateTimeField()
    by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(max_length=100)
    content = models.BinaryField()  # a zip of the outputs and their manifest
    manifest = models.JSONField()

    class Meta:
        ordering: ClassVar = ["-at", "-id"]
