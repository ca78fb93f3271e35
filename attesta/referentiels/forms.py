from __future__ import annotations

from django import forms
from django.conf import settings

from attesta.referentiels.importers.canonical import Referentiel
from attesta.referentiels.importers.errors import ImportFailure
from attesta.referentiels.importers.reader import override_identity, parse


class ImportForm(forms.Form):
    document = forms.FileField(
        label="Document du référentiel",
        allow_empty_file=True,  # the importer says which file is empty, with its name
        help_text=(
            "REAC + RE d'un titre professionnel, tableau de référentiel d'un certificateur "
            "(texte) ou JSON canonique Attesta."
        ),
    )
    code = forms.CharField(
        label="Code de la certification",
        max_length=40,
        required=False,
        help_text="Facultatif : remplace le code lu dans le document (par exemple RNCP37849).",
    )
    title = forms.CharField(
        label="Intitulé de la certification",
        max_length=300,
        required=False,
        help_text="Facultatif : remplace l'intitulé lu (utile si le document n'en donne pas).",
    )
    millesime = forms.CharField(
        label="Millésime",
        max_length=40,
        required=False,
        help_text="Facultatif : remplace le millésime lu (par défaut « 1 » s'il n'y en a pas).",
    )
    publish = forms.BooleanField(
        label="Publier immédiatement (la version ne pourra plus être modifiée)", required=False
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        referentiel = data.get("document")
        if isinstance(referentiel, Referentiel):
            override_identity(
                referentiel,
                code=data.get("code"),
                title=data.get("title"),
                version=data.get("millesime"),
            )
        return data

    def clean_document(self) -> Referentiel:
        upload = self.cleaned_data["document"]
        if upload.size > settings.REFERENTIEL_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"{upload.name} : fichier trop volumineux ({upload.size} octets, au plus "
                f"{settings.REFERENTIEL_MAX_UPLOAD_BYTES})."
            )
        try:
            return parse(upload.read(), filename=upload.name)
        except ImportFailure as failure:
            raise forms.ValidationError(str(failure)) from failure


class SearchForm(forms.Form):
    q = forms.CharField(label="Rechercher dans les référentiels", max_length=200, required=False)


class CompareForm(forms.Form):
    old = forms.ChoiceField(label="Version de référence")
    new = forms.ChoiceField(label="Version comparée")

    def __init__(self, *args: object, versions: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices = [(v, f"Millésime {v}") for v in versions]
        self.fields["old"].choices = choices  # type: ignore[attr-defined]
        self.fields["new"].choices = choices  # type: ignore[attr-defined]
