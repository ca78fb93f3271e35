from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from attesta.core.views import home

urlpatterns = [
    path("", home, name="home"),
    path("comptes/", include("attesta.accounts.urls")),
    path("referentiels/", include("attesta.referentiels.urls")),
    path("candidats/", include("attesta.candidates.urls")),
    path("sessions/", include("attesta.exams.urls")),
    path("evaluation/", include("attesta.evaluation.urls")),
    path("", include("attesta.credentials.urls")),
    path("api/", include("attesta.api.urls")),
    path("api/schema/", login_not_required(SpectacularAPIView.as_view()), name="api-schema"),
    path("admin/", admin.site.urls),
]
