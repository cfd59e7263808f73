from .errors import DomainError
from .views import error_page


class DomainErrorMiddleware:
    """A domain error that escapes a page view becomes its 4xx page with the message, never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DomainError) and not request.path.startswith("/api/"):
            return error_page(request, exception)
        return None
