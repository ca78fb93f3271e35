from django.urls import path

from attesta.exams import views

app_name = "exams"

urlpatterns = [
    path("", views.session_list, name="list"),
    path("nouvelle/", views.session_create, name="create"),
    path("<int:pk>/", views.session_detail, name="detail"),
    path("<int:pk>/candidats/", views.session_seat, name="seat"),
    path("<int:pk>/jury/", views.session_jury, name="jury"),
    path("<int:pk>/surveillants/", views.session_supervisor, name="supervisor"),
    path("<int:pk>/planning/", views.session_timetable, name="timetable"),
    path("<int:pk>/optimiser/", views.session_optimise, name="optimise"),
    path("<int:pk>/planning/grille/", views.session_planning, name="planning"),
    path("<int:pk>/replanifier/", views.session_replan, name="replan"),
    path("<int:pk>/planning/phases/<int:entry>/epinglage/", views.phase_pin, name="phase_pin"),
    path("<int:pk>/planning/export.<str:kind>", views.planning_file, name="planning_file"),
    path("<int:pk>/parametres/", views.session_settings, name="settings"),
    path("<int:pk>/parametres/durees/", views.durations_set, name="durations"),
    path("<int:pk>/parametres/equipements/", views.equipment_add, name="equipment_add"),
    path(
        "<int:pk>/parametres/equipements/<int:item>/retrait/",
        views.equipment_remove,
        name="equipment_remove",
    ),
    path(
        "<int:pk>/parametres/indisponibilites/",
        views.unavailability_add,
        name="unavailability_add",
    ),
    path(
        "<int:pk>/parametres/indisponibilites/<int:period>/retrait/",
        views.unavailability_remove,
        name="unavailability_remove",
    ),
    path("<int:pk>/candidats/<int:seat>/desistement/", views.seat_withdraw, name="withdraw"),
    path("<int:pk>/convocations/", views.session_convocations, name="convocations"),
    path(
        "<int:pk>/convocations/<str:reference>.<str:kind>",
        views.convocation_file,
        name="convocation_file",
    ),
]
