"""Access rules of the operations endpoints (ADR 0028), merged into
tests/backoffice/test_url_access.py. /metrics is open there because the test client calls from
127.0.0.1, on MOTCUA_METRICS_ALLOWED by default: tests/ops/test_metrics.py checks the refusals."""

PUBLIC_URLS = {
    "healthz": "liveness probe of a load balancer or orchestrator: says only that the process is up",
    "readyz": "readiness probe: which dependency is down, by name and exception type only",
    "metrics": "Prometheus scrape: open to MOTCUA_METRICS_ALLOWED addresses or the bearer token",
}
