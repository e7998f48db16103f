"""Operating the service (ADR 0028): is it up (`/healthz`), can it serve (`/readyz`), what is it
doing (`/metrics`, Prometheus) and what did it do (structured logs with a request id, never
personal data).

    request_context.py  the request id of the request being served (a contextvar)
    logs.py             the log filter (request id, no raw paths) and the plain/JSON formatters
    middleware.py       one place that times each request: id, metrics, access log line
    metrics.py          request counters and histograms (prometheus_client, multi-process)
    gauges.py           figures read from the database at scrape time (jobs, dossiers, messages)
    readiness.py        the checks behind /readyz (database, cache, Redis, documents storage)
    views.py            /healthz, /readyz, /metrics
"""
