"""Liveness and readiness for supervisors and load balancers.

Readiness asks every part the shop stands on (database, cache, broker,
OpenSearch), so this room sits above them all; `core/` stays the ground
floor that every room may import.
"""

import asyncio
import contextlib
from concurrent.futures import ThreadPoolExecutor

from django.db import transaction
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe
from health_check.views import HealthCheckView

from marketplace.health.checks import readiness_checks


@transaction.non_atomic_requests  # ATOMIC_REQUESTS would open a connection
@require_safe
def liveness(request):
    """The process is up and serving requests; no dependency is touched.

    For a supervisor deciding whether to restart this process: a restart
    cannot mend a database or a Redis, so their state does not belong here
    (that is readiness)."""
    response = JsonResponse({"status": "ok"})
    add_never_cache_headers(response)
    return response


class ReadinessView(HealthCheckView):
    """Whether this process should be sent traffic, with each dependency's
    state and latency (`marketplace.health.checks`).

    Answers 503 only when a required part is down, and only the database is
    required: no page renders without it, and a web process that cannot
    reach it is better taken out of the load balancer. The cache, the Celery
    broker and OpenSearch are optional parts the site degrades around (no
    cache; mail and reindexing recorded in the database and swept later;
    search from the database), and they are shared by every web process: if
    their outage failed readiness, the load balancer would pull every process
    at once and turn a degraded shop into no shop. They are reported, for
    monitoring, as "degraded" with a 200. (The database is shared too: when
    it is down for every process, a load balancer with no ready backend
    shows its own error page rather than our Vietnamese one. Readiness is
    for the partial failure, one process that lost its way to the database.)

    The checks run concurrently; each has a budget of about a second, and
    sync checks run in threads that are abandoned, not waited for, when they
    overrun, so a hanging dependency cannot hold the answer past ~2 s.
    """

    async def get(self, request, *args, **kwargs):
        named = readiness_checks()
        with self.get_executor() as executor:
            results = await asyncio.gather(
                *(check.get_result(executor) for check, _required in named.values())
            )
        report, required_down, optional_down = {}, False, False
        for (name, (_check, required)), result in zip(named.items(), results, strict=True):
            entry = {
                "status": "down" if result.error else "up",
                "required": required,
                "latency_ms": round(result.time_taken * 1000, 1),
            }
            if result.error:
                entry["error"] = str(result.error)
                required_down |= required
                optional_down |= not required
            report[name] = entry
        status = "down" if required_down else "degraded" if optional_down else "ok"
        return JsonResponse(
            {"status": status, "checks": report}, status=503 if required_down else 200
        )

    @contextlib.contextmanager
    def get_executor(self):
        executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="readiness")
        try:
            yield executor
        finally:
            executor.shutdown(wait=False, cancel_futures=True)


readiness = ReadinessView.as_view()
