from __future__ import annotations

from django import forms

from attesta.credentials import rules


class VerifyForm(forms.Form):
    code = forms.CharField(
        label="Code de vérification",
        max_length=40,
        help_text=(
            "12 caractères, par exemple 7KQ2-M9XD-4TNB ; tirets, espaces et minuscules acceptés."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        code = rules.normalise_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                "Ce code n'a pas la forme attendue : 12 caractères (chiffres et lettres), "
                "par exemple 7KQ2-M9XD-4TNB."
            )
        return code
