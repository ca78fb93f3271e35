"""Factories with named states (Traits) for the three personas of every access test."""

from __future__ import annotations

import factory

from attesta.accounts.enums import OrganisationKind, Role
from attesta.accounts.models import Organisation, User

PASSWORD = "motdepasse-test"  # every user the factory makes


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = OrganisationKind.CERTIFIER

    class Params:
        exam_centre = factory.Trait(kind=OrganisationKind.EXAM_CENTRE)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Prénom"
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.CANDIDATE
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    class Params:
        administrator = factory.Trait(role=Role.ADMINISTRATOR)
        manager = factory.Trait(role=Role.SESSION_MANAGER)
        assessor = factory.Trait(role=Role.ASSESSOR)
        referent = factory.Trait(role=Role.DISABILITY_REFERENT)
        superuser = factory.Trait(is_superuser=True, is_staff=True, role=Role.ADMINISTRATOR)

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.save()
