from tests.exams.fixtures import assessors, centre_session  # noqa: F401
