"""Stored values of the evaluation app (English values, French labels)."""

from __future__ import annotations

from django.db import models

from attesta.evaluation.rules import Mark


class MarkChoice(models.TextChoices):
    MET = Mark.MET.value, Mark.MET.label
    NOT_MET = Mark.NOT_MET.value, Mark.NOT_MET.label
    NOT_OBSERVED = Mark.NOT_OBSERVED.value, Mark.NOT_OBSERVED.label
    EXEMPTED = Mark.EXEMPTED.value, Mark.EXEMPTED.label


class Attendance(models.TextChoices):
    PRESENT = "present", "Présent"
    ABSENT = "absent", "Absent"
    EXCUSED = "excused", "Absent excusé"
