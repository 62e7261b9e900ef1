import os

from django.core.wsgi import get_wsgi_application

# Always the floor's own settings, whatever the caller's environment says.
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.floor.settings"
application = get_wsgi_application()
