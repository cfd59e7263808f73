import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")
application = get_wsgi_application()

from liaison.startup import require_secret_key  # noqa: E402 - settings must be loaded first

require_secret_key()
