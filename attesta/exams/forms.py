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


TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class PlanningOptionsForm(forms.Form):
    """The inputs of the timetable (docs/scheduler.md), a room capacity field per room."""

    day_start = forms.TimeField(label="Début de journée", widget=TIME)
    day_end = forms.TimeField(label="Fin de journée", widget=TIME)
    break_start = forms.TimeField(
        label="Début de la pause du jury",
        required=False,
        widget=TIME,
        help_text="Par exemple 12:30. Laissez les deux heures vides : pas de pause.",
    )
    break_end = forms.TimeField(label="Fin de la pause du jury", required=False, widget=TIME)
    changeover_minutes = forms.IntegerField(
        label="Battement entre deux candidats (minutes)",
        min_value=0,
        max_value=120,
        help_text="Temps laissé au jury entre deux candidats ; 0 : aucun.",
    )
    supervision_capacity = forms.IntegerField(
        label="Candidats par surveillant",
        min_value=1,
        max_value=200,
        help_text="Candidats qu'un surveillant surveille à la fois pendant les phases sans jury.",
    )
    detailed_phases = forms.BooleanField(
        label="Phases détaillées",
        required=False,
        help_text=(
            "Découpe chaque modalité en ses parties, telles que le référentiel les décrit : "
            "les préparations et les parties écrites sont surveillées sans le jury, l'étude "
            "de cas écrite collective est passée par tous les candidats en même temps, et "
            "les équipements partagés (imprimante, téléphone, ordinateur portable) sont "
            "comptés. Il faut au moins un surveillant. Décoché : une phase par modalité, "
            "le jury présent tout du long."
        ),
    )

    def __init__(self, *args: Any, rooms: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rooms = list(rooms)
        for n, room in enumerate(self.rooms):
            self.fields[f"room_{n}"] = forms.IntegerField(
                label=f"Capacité : {room}",
                min_value=1,
                max_value=500,
                initial=1,
                help_text="1 : une salle de jury ou individuelle ; plus : une salle collective.",
            )

    @property
    def room_fields(self) -> list[forms.BoundField]:
        return [self[f"room_{n}"] for n in range(len(self.rooms))]

    @property
    def option_fields(self) -> list[forms.BoundField]:
        return [self["changeover_minutes"], self["supervision_capacity"]]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("day_start"), data.get("day_end")
        if start and end and end <= start:
            self.add_error("day_end", "Elle doit suivre le début de journée.")
        pause_start, pause_end = data.get("break_start"), data.get("break_end")
        if (pause_start is None) != (pause_end is None) and not (
            self.has_error("break_start") or self.has_error("break_end")
        ):
            missing = "break_end" if pause_end is None else "break_start"
            self.add_error(missing, "Indiquez le début et la fin de la pause, ou aucun des deux.")
        elif pause_start and pause_end:
            if pause_end <= pause_start:
                self.add_error("break_end", "Elle doit suivre le début de la pause.")
            elif start and end and (pause_start < start or pause_end > end):
                self.add_error("break_start", "La pause doit tenir dans la journée.")
        data["room_capacities"] = {
            room: data[f"room_{n}"]
            for n, room in enumerate(self.rooms)
            if data.get(f"room_{n}") is not None
        }
        return data

    def options(self) -> dict[str, Any]:
        """The cleaned values, as :func:`services.set_planning_options` takes them."""
        data = self.cleaned_data
        return {
            "day_start": data["day_start"],
            "day_end": data["day_end"],
            "break_start": data["break_start"],
            "break_end": data["break_end"],
            "changeover_minutes": data["changeover_minutes"],
            "supervision_capacity": data["supervision_capacity"],
            "room_capacities": data["room_capacities"],
            "detailed_phases": data["detailed_phases"],
        }

    @classmethod
    def initial_for(cls, session: Any) -> dict[str, Any]:
        capacities = session.room_capacities or {}
        initial = {
            "day_start": session.day_start,
            "day_end": session.day_end,
            "break_start": session.break_start,
            "break_end": session.break_end,
            "changeover_minutes": session.changeover_minutes,
            "supervision_capacity": session.supervision_capacity,
            "detailed_phases": session.detailed_phases,
        }
        for n, room in enumerate(session.rooms):
            initial[f"room_{n}"] = int(capacities.get(room, 1))
        return initial


class MethodDurationsForm(forms.Form):
    """A duration per method whose référentiel gives none (certifier référentiels in table
    form): the centre sets it, so that the exam can be timetabled."""

    def __init__(self, *args: Any, methods: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for index, title in methods:
            self.fields[f"method_{index}"] = forms.IntegerField(
                label=f"Durée : {title}",
                required=False,
                min_value=0,
                max_value=720,
                help_text=(
                    "En minutes, de 5 à 720 ; 0 : remise avant la session (un dossier), hors "
                    "planning. Vide : pas encore fixée."
                ),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, value in list(data.items()):
            if value is not None and 0 < value < 5:
                self.add_error(name, "Au moins 5 minutes, ou 0 pour une remise avant la session.")
        return data

    @staticmethod
    def initial_for(session: Any) -> dict[str, int]:
        return {f"method_{k}": int(v) for k, v in (session.method_minutes or {}).items()}

    def minutes(self) -> dict[int, int | None]:
        return {
            int(name.removeprefix("method_")): value for name, value in self.cleaned_data.items()
        }


class EquipmentForm(forms.Form):
    name = forms.ChoiceField(label="Équipement", choices=[])
    count = forms.IntegerField(label="Nombre d'exemplaires", min_value=1, max_value=100, initial=1)
    shared_by = forms.IntegerField(
        label="Candidats à la fois par exemplaire",
        min_value=1,
        max_value=200,
        initial=1,
        help_text="Par exemple 12 pour une imprimante partagée, 1 pour un téléphone.",
    )

    def __init__(self, *args: Any, names: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].choices = [(name, name.capitalize()) for name in names]  # type: ignore[attr-defined]


LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class JuryUnavailabilityForm(forms.Form):
    panel = forms.ChoiceField(label="Jury", choices=[])
    starts_at = forms.DateTimeField(label="Début de l'indisponibilité", widget=LOCAL)
    ends_at = forms.DateTimeField(label="Fin de l'indisponibilité", widget=LOCAL)
    reason = forms.CharField(label="Motif", max_length=200, required=False)

    def __init__(self, *args: Any, panels: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["panel"].choices = [(panel, panel) for panel in panels]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", "Elle doit suivre le début de l'indisponibilité.")
        return data
