"""A hello-world Django page under the site's own settings, for `make bench`.

gunicorn serves `content.bench.hello:application` with deploy/gunicorn.conf.py, the
same settings module and so the same middleware as the site; only the URLconf is
this module's single view. Its requests/s is the ceiling the site's pages are
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
application = get_wsgi_application()
