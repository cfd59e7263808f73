import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")
application = get_asgi_application()

from liaison.startup import require_secret_key  # noqa: E402 - settings must be loaded first

require_secret_key()
