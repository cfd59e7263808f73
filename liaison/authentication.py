"""API authentication (its own module: DRF imports it while rest_framework.views is still loading).

The token lookup has a fast path and a public one, like liaison/cache.py: the fast path prepares the query once
per connection with parts of Django's SQL compiler that are not public API (`get_related_populators`, the
compiler's `select`/`klass_info`/converters); the public path is the plain ORM query. Both load the same objects
in one query (tested). If a Django upgrade changes those parts, preparing fails, a warning is logged once and
every lookup takes the public path. Numbers (bench/README.md, "Token authentication"): ~0.1 ms of CPU per
lookup prepared against ~0.5–0.6 ms through the ORM, which moves `GET /api/v1/me/` below half the throughput of
a trivial view.
"""

import logging
import weakref

from django.db import connections, router
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

logger = logging.getLogger(__name__)

try:  # not public API: see the module's docstring
    from django.db.models.query import get_related_populators
except ImportError:  # pragma: no cover - a Django that moved it
    get_related_populators = None

# False: every lookup takes the public ORM path (set when preparing fails; tests set it to compare both).
PREPARED = get_related_populators is not None


def public_token_with_user(key: str) -> Token | None:
    """The same lookup through the public ORM: built and compiled on every call."""
    try:
        return Token.objects.select_related("user__area").get(key=key)
    except Token.DoesNotExist:
        return None


class _TokenQuery:
    """`Token.objects.select_related("user__area").get(key=...)`, compiled once per database connection.

    Every token-authenticated request runs this lookup. Building and compiling the ORM query costs ~0.45 ms
    of CPU against ~0.03 ms for executing it, so the SQL, the column
    converters and the row-to-object populators are prepared once, with Django's own compiler, and reused:
    the objects are the same (every concrete field of the token, the user and the user's area) and
    there is still exactly one query per request, so nothing is cached between requests.
    """

    def __init__(self, connection):
        # A non-empty placeholder: some backends (Oracle) compile "" as IS NULL.
        queryset = Token.objects.select_related("user__area").filter(key="placeholder")
        compiler = queryset.query.get_compiler(connection=connection)
        self.sql, _params = compiler.as_sql()
        self.compiler = compiler
        select, klass_info = compiler.select, compiler.klass_info
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        self.token_slice = slice(start, end)
        self.init_list = [column[0].target.attname for column in select[start:end]]
        self.populators = get_related_populators(klass_info, select, connection.alias)
        self.converters = compiler.get_converters([column[0] for column in select])
        self.alias = connection.alias

    def get(self, key: str) -> Token | None:
        with self.compiler.connection.cursor() as cursor:
            cursor.execute(self.sql, [key])
            row = cursor.fetchone()
        if row is None:
            return None
        if self.converters:
            row = next(iter(self.compiler.apply_converters([row], self.converters)))
        token = Token.from_db(self.alias, self.init_list, row[self.token_slice])
        for populator in self.populators:
            populator.populate(row, token)
        return token


_queries: "weakref.WeakKeyDictionary[object, _TokenQuery]" = weakref.WeakKeyDictionary()


def token_with_user(key: str) -> Token | None:
    """The token with its user and the user's area (one query), or None."""
    global PREPARED
    if not PREPARED:
        return public_token_with_user(key)
    connection = connections[router.db_for_read(Token)]
    query = _queries.get(connection)
    if query is None:
        try:
            query = _queries[connection] = _TokenQuery(connection)
        except (AttributeError, KeyError, IndexError, TypeError) as exc:  # pragma: no cover - Django changed
            PREPARED = False
            logger.warning("Token lookup: Django's compiler has changed (%r); using the public ORM path", exc)
            return public_token_with_user(key)
    return query.get(key)


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, reading the token, its user and the user's area in one prepared query.

    Views read `request.user.area` (area scoping, `me/`); DRF's own class would fetch it with a second query.
    """

    def authenticate_credentials(self, key):
        token = token_with_user(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (token.user, token)
