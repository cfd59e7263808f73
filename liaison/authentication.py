"""API authentication (its own module: DRF imports it while rest_framework.views is still loading)."""

import weakref

from django.db import connections, router
from django.db.models.query import get_related_populators
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token


class _TokenQuery:
    """`Token.objects.select_related("user__area").get(key=...)`, compiled once per database connection.

    Every token-authenticated request runs this lookup. Building and compiling the ORM query costs ~0.45 ms
    of CPU against ~0.03 ms for executing it (bench/README.md, "Foundation"), so the SQL, the column
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
    connection = connections[router.db_for_read(Token)]
    query = _queries.get(connection)
    if query is None:
        query = _queries[connection] = _TokenQuery(connection)
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
