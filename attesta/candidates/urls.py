from django.urls import path

from attesta.candidates import views

app_name = "candidates"

urlpatterns = [
    path("", views.candidate_list, name="list"),
    path("nouveau/", views.candidate_create, name="create"),
    path("importer/", views.candidate_import, name="import"),
    path("<int:pk>/", views.candidate_detail, name="detail"),
    path("<int:pk>/inscrire/", views.enrolment_create, name="enrol"),
    path("inscriptions/", views.enrolment_list, name="enrolments"),
    path("inscriptions/<int:pk>/", views.enrolment_detail, name="enrolment"),
    path("inscriptions/<int:pk>/periode/", views.enrolment_period, name="period"),
    path("inscriptions/<int:pk>/pieces/", views.enrolment_document, name="document"),
    path("inscriptions/<int:pk>/recevabilite/", views.enrolment_review, name="review"),
    path("inscriptions/<int:pk>/amenagements/", views.accommodation_edit, name="accommodation"),
    path("inscriptions/<int:pk>/exemptions/", views.exemption_request, name="exemption"),
]
