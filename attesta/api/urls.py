from django.contrib.auth.decorators import login_not_required
from rest_framework.routers import DefaultRouter

from attesta.api import candidates, credentials, evaluation, exams, planning, referentiels

router = DefaultRouter()
router.register("certifications", referentiels.CertificationViewSet, basename="certification")
router.register("versions", referentiels.VersionViewSet, basename="version")
router.register("blocks", referentiels.BlockViewSet, basename="block")
router.register("competencies", referentiels.CompetencyViewSet, basename="competency")
router.register("candidates", candidates.CandidateViewSet, basename="candidate")
router.register("enrolments", candidates.EnrolmentViewSet, basename="enrolment")
# Before "sessions": only /sessions/{id}/minutes/ and the planning doors, and the API root
# keeps the sessions list.
router.register("sessions", evaluation.SessionMinutesViewSet, basename="session-minutes")
router.register("sessions", planning.PlanningViewSet, basename="session-planning")
router.register("sessions", exams.SessionViewSet, basename="session")
router.register("timetable", planning.PinViewSet, basename="timetable-pin")
router.register("timetable", exams.TimetableViewSet, basename="timetable")
router.register("convocations", exams.ConvocationViewSet, basename="convocation")
router.register("seats", evaluation.SeatViewSet, basename="seat")
router.register("decisions", evaluation.DecisionViewSet, basename="decision")
router.register("conditions", evaluation.ConditionViewSet, basename="condition")
router.register("minutes", evaluation.MinutesViewSet, basename="minutes")
router.register("documents", credentials.DocumentViewSet, basename="document")

# The API answers 403 itself (DRF's IsAuthenticated) instead of redirecting to the login page.
urlpatterns = router.urls
for pattern in urlpatterns:
    callback = getattr(pattern, "callback", None)
    if callback is not None:
        pattern.callback = login_not_required(callback)
