from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from attesta.candidates import enums
from attesta.referentiels.models import Block, CertificationVersion, Criterion


class CandidateForm(forms.Form):
    last_name = forms.CharField(label="Nom de naissance", max_length=150)
    first_names = forms.CharField(label="Prénoms", max_length=200)
    birth_date = forms.DateField(
        label="Date de naissance",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Format JJ/MM/AAAA.",
    )
    birth_place = forms.CharField(label="Commune de naissance", max_length=150, required=False)
    birth_country = forms.CharField(
        label="Pays de naissance",
        max_length=100,
        required=False,
        help_text="À indiquer pour une naissance hors de France.",
    )
    email = forms.EmailField(label="Courriel", required=False)
    phone = forms.CharField(label="Téléphone", max_length=30, required=False)

    def clean_birth_date(self) -> dt.date:
        value: dt.date = self.cleaned_data["birth_date"]
        if value >= dt.date.today():
            raise forms.ValidationError("La date de naissance doit être passée.")
        if value.year < 1900:
            raise forms.ValidationError("Date de naissance invraisemblable.")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("birth_place") and not data.get("birth_country"):
            raise forms.ValidationError(
                "Indiquez la commune ou le pays de naissance (exigé pour la transmission des "
                "résultats)."
            )
        return data


class EnrolmentForm(forms.Form):
    version = forms.ModelChoiceField(
        label="Certification", queryset=CertificationVersion.objects.none(), empty_label=None
    )
    path = forms.ChoiceField(label="Parcours", choices=enums.AccessPath.choices)
    blocks = forms.ModelMultipleChoiceField(
        label="Blocs visés",
        queryset=Block.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Aucun bloc coché : la certification complète.",
    )
    capitalised = forms.ModelMultipleChoiceField(
        label="Blocs déjà obtenus (capitalisation)",
        queryset=Block.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    capitalised_on = forms.DateField(
        label="Date d'obtention des blocs",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    capitalised_source = forms.CharField(
        label="Source (session, organisme, attestation)", max_length=300, required=False
    )

    def __init__(self, *args: Any, versions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = versions  # type: ignore[attr-defined]
        self.fields["version"].label_from_instance = (  # type: ignore[attr-defined]
            lambda v: f"{v.certification.title} ({v.certification.code}, millésime {v.version})"
        )
        self.fields["blocks"].queryset = (  # type: ignore[attr-defined]
            Block.objects.filter(version__in=versions)
            .select_related("version__certification")
            .order_by("version__certification__title", "position")
        )
        self.fields["blocks"].label_from_instance = (  # type: ignore[attr-defined]
            lambda b: f"{b.version.certification.code} · {b.code} – {b.title}"
        )
        self.fields["capitalised"].queryset = self.fields["blocks"].queryset  # type: ignore[attr-defined]
        self.fields["capitalised"].label_from_instance = (  # type: ignore[attr-defined]
            self.fields["blocks"].label_from_instance  # type: ignore[attr-defined]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        version = data.get("version")
        blocks = [*(data.get("blocks") or []), *(data.get("capitalised") or [])]
        if data.get("capitalised"):
            if not data.get("capitalised_on") or not data.get("capitalised_source"):
                raise forms.ValidationError(
                    "Pour des blocs déjà obtenus, indiquez leur date d'obtention et leur source."
                )
            both = set(data.get("blocks") or []) & set(data["capitalised"])
            if both:
                raise forms.ValidationError(
                    "Un bloc ne peut être à la fois visé et déjà obtenu : "
                    + ", ".join(b.code for b in both)
                )
        foreign = [b for b in blocks if version is not None and b.version_id != version.pk]
        if foreign:
            raise forms.ValidationError(
                "Les blocs cochés doivent appartenir à la certification choisie : "
                + ", ".join(f"{b.version.certification.code} {b.code}" for b in foreign)
            )
        return data


class CompanyPeriodForm(forms.Form):
    company_period_done = forms.IntegerField(
        label="Période en entreprise effectuée", min_value=0, max_value=100_000
    )


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label="Nature de la pièce", choices=enums.DocumentKind.choices)
    production_title = forms.ChoiceField(
        label="Production (pour une production exigée)", choices=(), required=False
    )
    file = forms.FileField(label="Fichier", help_text="PDF, PPTX, ODP ou DOCX ; 20 Mo au plus.")

    MAX_BYTES = 20 * 1024 * 1024

    def __init__(self, *args: Any, productions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["production_title"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *[(title, title) for title in productions],
        ]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(f"{upload.name} : fichier trop volumineux (20 Mo au plus).")
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == enums.DocumentKind.PRODUCTION and not data.get("production_title"):
            self.add_error("production_title", "Choisissez la production que ce fichier constitue.")
        return data


class CandidateListForm(forms.Form):
    file = forms.FileField(
        label="Liste de candidats (XLSX ou CSV)",
        allow_empty_file=True,
        help_text=(
            "Colonnes reconnues : Nom, Prénoms, Date de naissance, Commune ou Pays de naissance, "
            "Courriel, Téléphone ; facultatives : Code certification, Blocs, Parcours."
        ),
    )

    MAX_BYTES = 20 * 1024 * 1024

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(f"{upload.name} : fichier trop volumineux (20 Mo au plus).")
        return upload


class AccommodationForm(forms.Form):
    disability = forms.CharField(
        label="Situation de handicap (confidentiel)",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Lu par le référent handicap et l'administrateur seulement, jamais par le jury.",
    )
    extra_time_percent = forms.IntegerField(
        label="Temps majoré (%)",
        min_value=0,
        max_value=200,
        initial=33,
        help_text="Un tiers temps par défaut ; 0 pour aucun.",
    )
    adapted_equipment = forms.CharField(
        label="Matériel adapté", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    written_exchange = forms.BooleanField(label="Échange écrit au lieu de l'oral", required=False)
    assistant = forms.CharField(label="Assistant ou interprète", max_length=300, required=False)
    postponed_to = forms.DateField(
        label="Date reportée",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    PER_METHOD = "method_extra_"

    def __init__(self, *args: Any, methods: list[tuple[str, str]], **kwargs: Any) -> None:
        """``methods``: (kind, label) of the modalities the candidate will sit, each of which
        may get its own extra time."""
        super().__init__(*args, **kwargs)
        for kind, label in methods:
            self.fields[self.PER_METHOD + kind] = forms.IntegerField(
                label=f"Temps majoré pour « {label} » (%)",
                min_value=0,
                max_value=200,
                required=False,
                help_text="Vide : le temps majoré général.",
            )

    def measures(self) -> dict[str, Any]:
        """The cleaned data as the model's fields, per-method extra times gathered."""
        cleaned = self.cleaned_data
        data = {k: v for k, v in cleaned.items() if not k.startswith(self.PER_METHOD)}
        data["extra_time_by_method"] = {
            k.removeprefix(self.PER_METHOD): v
            for k, v in cleaned.items()
            if k.startswith(self.PER_METHOD) and v is not None
        }
        return data


class ExemptionForm(forms.Form):
    criterion = forms.ModelChoiceField(label="Critère", queryset=Criterion.objects.none())
    opinion = forms.CharField(
        label="Avis motivé du référent handicap", widget=forms.Textarea(attrs={"rows": 3})
    )
    keeps_overall_capacity = forms.BooleanField(
        label="L'exemption ne remet pas en question la capacité professionnelle globale",
        required=True,
    )
    not_needed_in_future_practice = forms.BooleanField(
        label="Le critère n'a pas vocation à s'appliquer dans la pratique future du candidat",
        required=True,
    )

    def __init__(self, *args: Any, version: CertificationVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = (  # type: ignore[attr-defined]
            Criterion.objects.filter(competency__version=version)
            .select_related("competency")
            .order_by("competency__block__position", "competency__position", "position")
        )
        self.fields["criterion"].label_from_instance = (  # type: ignore[attr-defined]
            lambda c: f"{c.competency.code} – {c.text[:120]}"
        )
