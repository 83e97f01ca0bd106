"""gunicorn settings for tianping (deploy/tianping-web.service runs `gunicorn -c deploy/gunicorn.conf.py tianping.wsgi`).

Every value can be changed in /etc/tianping/tianping.env without editing this file."""

import multiprocessing
import os

# nginx talks to gunicorn through this socket (deploy/nginx-tianping.conf); 127.0.0.1:8001 works as well
bind = os.environ.get("GUNICORN_BIND", "unix:/run/tianping/web.sock")
# synchronous workers: each serves one request at a time; 2 × cores + 1 is gunicorn's usual starting point
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1))
worker_class = "sync"
# a PDF, an export or an import of up to TIANPING_IMPORT_INLINE_BYTES runs inside the request; larger work goes to
# the worker (manage.py worker), so two minutes is generous
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 120))
graceful_timeout = 30
keepalive = 5
# recycle workers now and then (memory held by a large export is given back)
max_requests = 2000
max_requests_jitter = 200
# the X-Forwarded-Proto of nginx on this host is believed (settings.SECURE_PROXY_SSL_HEADER)
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"  # journald (journalctl -u tianping-web)
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%({x-request-id}o)s"'
proc_name = "tianping-web"
# gunicorn's control socket ($HOME/.gunicorn) is not needed (systemctl reload sends HUP) and the home directory is
# read-only under the unit's ProtectSystem=strict
control_socket_disable = True
