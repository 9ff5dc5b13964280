"""The REST API at /api/ (OpenAPI at /api/openapi.json, docs at /api/docs)."""

from __future__ import annotations

from ninja import NinjaAPI, Schema

from kneecap import __version__
from kneecap.web.api import errors
from kneecap.web.api.auth import AUTH
from kneecap.web.api.catalog import router as catalog_router
from kneecap.web.api.coaching import router as coaching_router
from kneecap.web.api.imports import router as imports_router
from kneecap.web.api.load import router as load_router
from kneecap.web.api.outcomes import router as outcomes_router
from kneecap.web.api.planning import router as planning_router
from kneecap.web.api.progress import router as progress_router
from kneecap.web.api.reminders import router as reminders_router
from kneecap.web.api.runs import router as runs_router
from kneecap.web.api.training import router as training_router
from kneecap.web.http import AuthenticatedHttpRequest

api = NinjaAPI(
    title="kneecap API",
    version=__version__,
    description=(
        "Knee strength and mobility training for runners. Authenticate with the browser "
        "session or a personal access token (`Authorization: Bearer kc_…`, created in "
        "Settings). Coaches pass `athlete=<id>` to act on a linked athlete."
    ),
    auth=AUTH,
    urls_namespace="api",
)
errors.install(api)
api.add_router("", catalog_router)
api.add_router("", planning_router)
api.add_router("", runs_router)
api.add_router("", training_router)
api.add_router("", progress_router)
api.add_router("", imports_router)
api.add_router("", load_router)
api.add_router("", coaching_router)
api.add_router("", outcomes_router)
api.add_router("", reminders_router)


class Me(Schema):
    id: int
    username: str
    email: str


@api.get("/me", response=Me, tags=["account"])
def me(request: AuthenticatedHttpRequest) -> Me:
    user = request.user
    return Me(id=user.pk, username=user.get_username(), email=user.email)
