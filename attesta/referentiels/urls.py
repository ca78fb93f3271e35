from django.urls import path

from attesta.referentiels import views

app_name = "referentiels"

urlpatterns = [
    path("", views.certification_list, name="list"),
    path("importer/", views.import_referentiel, name="import"),
    path("recherche/", views.search, name="search"),
    path("<str:code>/", views.certification_detail, name="certification"),
    path("<str:code>/comparer/", views.compare, name="compare"),
    path("<str:code>/v/<str:version>/", views.version_detail, name="version"),
    path("<str:code>/v/<str:version>/publier/", views.publish, name="publish"),
    path("<str:code>/v/<str:version>/export.json", views.export_json, name="export"),
]
