"""Input parsing of the jury pages. The rules (what may be saved, by whom) are in the services."""

from __future__ import annotations

from typing import Any

from django import forms

from attesta.evaluation.enums import Attendance
from attesta.evaluation.rules import ASSESSOR_MARKS, Mark

MARK_CHOICES = [(m.value, m.label) for m in Mark if m in ASSESSOR_MARKS]
DECISION_CHOICES = [("1", "Acquise"), ("0", "Non acquise")]
CONDITION_CHOICES = [("1", "Remplie"), ("0", "Non remplie")]


def _yes(value: str) -> bool:
    return value == "1"


class MarkForm(forms.Form):
    """One criterion of an assessor's grid; ``version`` is the stored version the grid showed."""

    mark = forms.ChoiceField(
        label="Appréciation", choices=MARK_CHOICES, widget=forms.RadioSelect, required=False
    )
    comment = forms.CharField(
        label="Commentaire",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class EvidenceForm(forms.Form):
    """A file attached to one criterion of the assessor's grid."""

    criterion = forms.ChoiceField(label="Critère")
    file = forms.FileField(
        label="Fichier",
        help_text="PDF, PNG ou JPEG, 5 Mo au plus : photo d'une production, pièce remise…",
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = choices  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    acquired = forms.TypedChoiceField(
        label="Décision du jury", choices=DECISION_CHOICES, coerce=_yes, widget=forms.RadioSelect
    )
    justification = forms.CharField(
        label="Justification",
        required=False,
        max_length=4000,
        help_text="Obligatoire quand la décision s'écarte des critères.",
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
    )


class DecisionCorrectionForm(DecisionForm):
    reason = forms.CharField(
        label="Motif de la correction",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
    )


class ConditionForm(forms.Form):
    met = forms.TypedChoiceField(
        label="Constat", choices=CONDITION_CHOICES, coerce=_yes, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="Observation",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
    )


class ConditionCorrectionForm(forms.Form):
    met = forms.TypedChoiceField(
        label="Constat corrigé", choices=CONDITION_CHOICES, coerce=_yes, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="Motif de la correction",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
    )


class AttendanceForm(forms.Form):
    status = forms.ChoiceField(label="Présence", choices=Attendance.choices)
    reason = forms.CharField(
        label="Motif",
        required=False,
        max_length=2000,
        help_text="Pour une absence excusée : le justificatif reçu.",
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
    )


class DraftMinutesForm(forms.Form):
    reason = forms.CharField(
        label="Motif de la nouvelle révision",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
    )

    def __init__(self, *args: Any, revision: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = revision


class SignMinutesForm(forms.Form):
    """Authenticated confirmation: the member re-enters their password and confirms the
    content whose SHA-256 is shown."""

    content_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)
    password = forms.CharField(
        label="Votre mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label="Je confirme avoir lu ce procès-verbal et le signe en tant que membre du jury."
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                "Mot de passe incorrect : le procès-verbal n'est pas signé."
            )
        return password
