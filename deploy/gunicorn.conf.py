"""Gunicorn settings for Cyberdiplo (`make serve` uses this file).

Every value can be overridden from the environment, so that a systemd unit or a
load rehearsal can change them without editing this file:

- ``HOST`` / ``PORT``: where to listen (default 127.0.0.1:8000), or ``GUNICORN_BIND``
  for a full bind string such as ``unix:/run/cyberdiplo.sock``;
- ``WEB_CONCURRENCY``: worker processes (default 2 x cores + 1, at most 12);
- ``GUNICORN_THREADS``, ``GUNICORN_TIMEOUT``, ``GUNICORN_MAX_REQUESTS``;
- ``GUNICORN_ACCESS_LOG`` (default ``-``, stdout; empty turns it off).
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name} must be an integer, got {value!r}") from None


bind = os.environ.get("GUNICORN_BIND") or (
    f"{os.environ.get('HOST') or '127.0.0.1'}:{_int('PORT', 8000)}"
)
# The usual sizing for synchronous workers: pages wait on PostgreSQL, not on the CPU.
workers = _int("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 12))
# Threaded workers, one thread each by default: one request at a time as with sync
# workers, but a long download (a whole-set CSV export streams for minutes at scale) is
# not taken for a hung worker after `timeout`.
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 1)
# One request per connection: a kept-alive connection stays with the worker that took it,
# so a few busy clients (or the proxy's pool) could leave one worker idle while another
# queues; closed connections spread the requests over every worker.
keepalive = _int("GUNICORN_KEEPALIVE", 0)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Recycle workers now and then so that a slow leak never grows unbounded; rarely, since
# a new worker starts with an empty page cache unless CACHE_URL shares one (Redis).
max_requests = _int("GUNICORN_MAX_REQUESTS", 200000)
max_requests_jitter = max_requests // 10
wsgi_app = "cyberdiplo.wsgi:application"
# The longest request line gunicorn reads (its most), as nginx's 8k header buffers do: a
# filtered list's address with many facet values fits; a longer one is a 414.
limit_request_line = 8190
# Trust X-Forwarded-* only from the local reverse proxy.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# One line per request: address, method and path, status, bytes, duration in ms.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Gunicorn's control socket defaults to one path per user, which two instances on
# one machine (a rehearsal beside the site) would fight over: off unless asked for.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket
if not control_socket:
    del control_socket
