"""Users belong to one organisation (certifier or exam centre) and hold one role."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.http import HttpRequest

from attesta.accounts.enums import REFERENTIEL_EDITORS, SESSION_MANAGERS, OrganisationKind, Role


class Organisation(models.Model):
    name = models.CharField("nom", max_length=200, unique=True)
    slug = models.SlugField("identifiant", max_length=60, unique=True)
    kind = models.CharField("type", max_length=20, choices=OrganisationKind.choices)

    class Meta:
        ordering = ["name"]
        verbose_name = "organisation"

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    role = models.CharField("rôle", max_length=30, choices=Role.choices, default=Role.CANDIDATE)

    class Meta:
        ordering = ["username"]
        verbose_name = "utilisateur"

    def manages(self, organisation_id: int | None) -> bool:
        """Runs that organisation's sessions: one of its session managers or administrators
        (a superuser: any organisation)."""
        if self.is_superuser:
            return True
        return (
            organisation_id is not None
            and self.role in SESSION_MANAGERS
            and self.organisation_id == organisation_id
        )

    @property
    def can_edit_referentiels(self) -> bool:
        return self.is_superuser or (
            self.organisation_id is not None and self.role in REFERENTIEL_EDITORS
        )


def signed_in_user(request: HttpRequest) -> User:
    """The signed-in user of a request behind LoginRequiredMiddleware."""
    user = request.user
    if not isinstance(user, User):
        raise TypeError("Cette vue exige un utilisateur connecté.")
    return user
