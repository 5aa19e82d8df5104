"""A hello-world Django page under the site's own settings, for `make bench`.

gunicorn serves `content.bench.hello:application` with deploy/gunicorn.conf.py, the
same settings module and so the same middleware as the site, less the page cache; only
the URLconf is this module's single view. Its requests/s is the ceiling the site's pages are
compared with: what Django and the server cost before any page does any work.
"""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse
from django.urls import path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cyberdiplo.settings")


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Hello, world\n", content_type="text/plain; charset=utf-8")


urlpatterns = [path("", hello)]

settings.ROOT_URLCONF = __name__
# Without the page cache: the ceiling is Django and the server answering at once, not a
# cache lookup (which would cost the hello-world page the database query a cached page pays).
settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "core.pagecache.PageCacheMiddleware"]
application = get_wsgi_application()
