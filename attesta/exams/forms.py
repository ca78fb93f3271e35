from __future__ import annotations

from typing import Any

from django import forms

from attesta.accounts.models import User
from attesta.candidates.models import Enrolment
from attesta.exams.grid import STEPS
from attesta.referentiels.models import Block, CertificationVersion


class SessionForm(forms.Form):
    version = forms.ModelChoiceField(
        label="Certification", queryset=CertificationVersion.objects.none(), empty_label=None
    )
    block = forms.ModelChoiceField(
        label="Bloc évalué",
        queryset=Block.objects.none(),
        required=False,
        empty_label="Certification complète",
    )
    label = forms.CharField(label="Intitulé", max_length=200)
    starts_on = forms.DateField(
        label="Premier jour", widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(label="Dernier jour", widget=forms.DateInput(attrs={"type": "date"}))
    address = forms.CharField(label="Adresse", widget=forms.Textarea(attrs={"rows": 3}))
    rooms = forms.CharField(
        label="Salles",
        help_text="Une par ligne ou séparées par des virgules.",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, versions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = versions  # type: ignore[attr-defined]
        self.fields["version"].label_from_instance = (  # type: ignore[attr-defined]
            lambda v: f"{v.certification.title} ({v.certification.code}, millésime {v.version})"
        )
        self.fields["block"].queryset = (  # type: ignore[attr-defined]
            Block.objects.filter(version__in=versions)
            .select_related("version__certification")
            .order_by("version__certification__title", "position")
        )
        self.fields["block"].label_from_instance = (  # type: ignore[attr-defined]
            lambda b: f"{b.version.certification.code} · {b.code} – {b.title}"
        )

    def clean_rooms(self) -> list[str]:
        raw: str = self.cleaned_data["rooms"]
        rooms = [r.strip() for r in raw.replace(",", "\n").splitlines() if r.strip()]
        if not rooms:
            raise forms.ValidationError("Indiquez au moins une salle.")
        return rooms

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", "Le dernier jour ne peut précéder le premier.")
        version, block = data.get("version"), data.get("block")
        if version and block and block.version_id != version.pk:
            self.add_error("block", "Ce bloc n'appartient pas à la certification choisie.")
        return data


class SeatForm(forms.Form):
    enrolments = forms.ModelMultipleChoiceField(
        label="Candidats recevables à convoquer",
        queryset=Enrolment.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, enrolments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enrolments"].queryset = enrolments  # type: ignore[attr-defined]
        self.fields["enrolments"].label_from_instance = (  # type: ignore[attr-defined]
            lambda e: f"{e.candidate} – {e.get_path_display()}"
        )


class JuryMemberForm(forms.Form):
    user = forms.ModelChoiceField(label="Membre du jury", queryset=User.objects.none())
    panel = forms.CharField(label="Jury", max_length=50, initial="Jury 1")
    profile = forms.CharField(
        label="Profil",
        max_length=300,
        required=False,
        help_text="Pour un référentiel qui l'exige, reprenez le profil demandé.",
    )
    is_president = forms.BooleanField(label="Président du jury", required=False)

    def __init__(self, *args: Any, assessors: Any, profiles: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = assessors  # type: ignore[attr-defined]
        if profiles:
            self.fields["profile"] = forms.ChoiceField(
                label="Profil exigé par le référentiel",
                choices=[(p, p) for p in profiles],
            )


class SupervisorForm(forms.Form):
    name = forms.CharField(label="Surveillant", max_length=200)


class TimetableGridForm(forms.Form):
    """How finely the timetable grid cuts the day (a GET form)."""

    pas = forms.TypedChoiceField(
        label="Une colonne toutes les",
        choices=[(str(step), f"{step} minutes") for step in STEPS],
        coerce=int,
        required=False,
        empty_value=None,
    )


class PinForm(forms.Form):
    pinned = forms.TypedChoiceField(
        label="Épinglage",
        choices=[("1", "Épingler"), ("0", "Désépingler")],
        coerce=lambda value: value == "1",
    )
