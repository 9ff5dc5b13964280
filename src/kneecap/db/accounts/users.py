"""The one type of a kneecap account, for annotations: never ``Any``.

kneecap keeps Django's default user model (settings never swap ``AUTH_USER_MODEL``) and reaches
its class through ``get_user_model()``. Were it swapped, mypy's Django plugin would type
``request.user`` and ``get_user_model()`` as the new model and flag every place this alias no
longer matches. Like any model module, this one needs Django's apps ready: what is imported
before (the command line, which sets Django up lazily, and the audit log's filter, which the
logging set-up loads) imports it under ``TYPE_CHECKING``.
"""

from __future__ import annotations

from django.contrib.auth.models import User

__all__ = ["User"]
