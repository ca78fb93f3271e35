from django.urls import path

from attesta.credentials import views

app_name = "credentials"

urlpatterns = [
    path("verifier/", views.verify, name="verify"),
    path("verifier/<str:code>/", views.verify_code, name="verify_code"),
    path(
        "documents/sessions/<int:session_pk>/candidats/<int:seat_pk>/grilles/"
        "<int:method_index>/<str:variant>.pdf",
        views.grid_pdf,
        name="grid_pdf",
    ),
    path("documents/proces-verbaux/<int:pk>.pdf", views.minutes_pdf, name="minutes_pdf"),
    path(
        "documents/candidats/<int:seat_pk>/<str:kind>.pdf",
        views.candidate_document,
        name="candidate_document",
    ),
    path("documents/livrets/<int:pk>.pdf", views.livret, name="livret"),
]
