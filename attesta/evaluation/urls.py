from django.urls import path

from attesta.evaluation.views import assessment, deliberation, minutes, results

app_name = "evaluation"

urlpatterns = [
    path("", assessment.home, name="home"),
    path("candidats/<int:pk>/modalites/<int:method>/", assessment.grid, name="grid"),
    path(
        "candidats/<int:pk>/modalites/<int:method>/pieces/",
        assessment.attach_evidence,
        name="attach_evidence",
    ),
    path("pieces/<int:pk>/", assessment.evidence_file, name="evidence_file"),
    path("candidats/<int:pk>/consolidation/", assessment.consolidation, name="consolidation"),
    path("candidats/<int:pk>/deliberation/", deliberation.seat_deliberation, name="seat"),
    path("candidats/<int:pk>/decisions/", deliberation.decide, name="decide"),
    path("candidats/<int:pk>/decisions/correction/", deliberation.correct_decision, name="correct"),
    path("candidats/<int:pk>/conditions/", deliberation.record_condition, name="condition"),
    path(
        "candidats/<int:pk>/conditions/correction/",
        deliberation.correct_condition,
        name="correct_condition",
    ),
    path("candidats/<int:pk>/presence/", deliberation.record_attendance, name="attendance"),
    path("candidats/<int:pk>/dispenses/", deliberation.exempt, name="exempt"),
    path("sessions/<int:pk>/deliberation/", deliberation.deliberation, name="deliberation"),
    path("sessions/<int:pk>/proces-verbal/", minutes.minutes, name="minutes"),
    path("sessions/<int:pk>/proces-verbal/etablir/", minutes.draw_up_minutes, name="draw_up"),
    path("sessions/<int:pk>/proces-verbal/signer/", minutes.sign_minutes, name="sign"),
    path("sessions/<int:pk>/resultats/", results.results, name="results"),
    path("mes-resultats/", results.my_results, name="my_results"),
]
