"""The portal's URLs plus the baselines every benchmark compares with.

- `bench/trivial/` (GET) and `bench/trivial-post/` (POST): `HttpResponse("ok")` through the same middleware.
- `bench/floor/…` (POST): the least a durable public POST can cost here, for judging how far an endpoint is
  from what the machine allows: plain Django views, no DRF, no validation, no rate limit, the writes as plain
  SQL in autocommit or one transaction, each committed (fsync) like the real ones.
  - `insert/`: one row into a one-column table (`bench_floor`, made by `create_floor_table`).
  - `suggestion/`: a submission's three rows (the suggestion, its history row, its first event), with the
    jieba segmentation its search column needs; body `{title, content, station, area_id}`.
  - `topics/<id>/support/`: a topic support's three statements (claim the code, count, the unique row); body
    `{phone, code}` with a valid code.
  - `drafts/<id>/opinions/`: a public legislative opinion and its history row; body `{article, content}`.
"""

import json
import os

from django.db import connection, transaction
from django.http import HttpResponse, JsonResponse
from django.urls import include, path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from liaison.urls import handler400, handler403, handler404, handler500  # noqa: F401

FLOOR_TABLE = "bench_floor"

if os.environ.get("BENCH_TOKEN_LOOKUP") == "public":
    # `foundation.py --token-lookup public`: measure token authentication through the public ORM path.
    from liaison import authentication

    authentication.PREPARED = False


def create_floor_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {FLOOR_TABLE} (id bigserial PRIMARY KEY, v text NOT NULL)"
        )


def trivial(request):
    return HttpResponse("ok")


@csrf_exempt
def trivial_post(request):
    return HttpResponse("ok", status=201)


@csrf_exempt
def floor_insert(request):
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {FLOOR_TABLE} (v) VALUES (%s)", [request.body[:40].decode(errors="replace")]
        )
    return HttpResponse("ok", status=201)


def _insert(cursor, obj) -> int:
    """INSERT one model instance as plain SQL (every concrete field but an unset primary key)."""
    meta = obj._meta
    fields = [f for f in meta.concrete_fields if not (f.primary_key and getattr(obj, f.attname) is None)]
    qn = connection.ops.quote_name
    cursor.execute(
        f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {qn(meta.pk.column)}",
        [f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in fields],
    )
    return cursor.fetchone()[0]


@csrf_exempt
def floor_suggestion(request):
    from liaison.codes import new_code
    from suggestions import search
    from suggestions.models import Suggestion, SuggestionEvent

    d = json.loads(request.body)
    now = timezone.now()
    s = Suggestion(
        tracking_code=new_code(),
        title=d["title"],
        content=d["content"],
        area_id=d["area_id"],
        station_id=d["station"],
        submitter_phone=d.get("phone", ""),
        triage_due=timezone.localdate(now),
        search_text=search.index_text(d["title"], d["content"]),
        created_at=now,
    )
    history = Suggestion.history.model
    with transaction.atomic(), connection.cursor() as cursor:
        s.pk = _insert(cursor, s)
        copied = {
            f.attname: getattr(s, f.attname) for f in history._meta.concrete_fields if hasattr(s, f.attname)
        }
        copied.pop("history_id", None)
        _insert(cursor, history(**copied, history_date=now, history_type="+"))
        _insert(
            cursor, SuggestionEvent(suggestion_id=s.pk, kind="submitted", at=now, data={"channel": "web"})
        )
    return JsonResponse({"tracking_code": s.tracking_code, "status": s.status}, status=201)


@csrf_exempt
def floor_support(request, topic_id: int):
    from supervision.models import SmsCode, Topic, TopicSupport
    from supervision.services.sms_codes import _code_hash, phone_hash

    d = json.loads(request.body)
    now = timezone.now()
    p_hash = phone_hash(d["phone"])
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {SmsCode._meta.db_table} SET used_at = %s WHERE id = ("
            f"SELECT id FROM {SmsCode._meta.db_table} WHERE phone_hash = %s AND purpose = 'support'"
            " AND used_at IS NULL AND expires_at > %s ORDER BY created_at DESC LIMIT 1"
            ") AND used_at IS NULL AND code_hash = %s",
            [now, p_hash, now, _code_hash(p_hash, d["code"])],
        )
        if cursor.rowcount != 1:
            return HttpResponse("bad code", status=400)
        cursor.execute(
            f"UPDATE {Topic._meta.db_table} SET supports_count = supports_count + 1 WHERE id = %s"
            " RETURNING supports_count",
            [topic_id],
        )
        supports = cursor.fetchone()[0]
        cursor.execute(
            f"INSERT INTO {TopicSupport._meta.db_table} (topic_id, phone_hash, created_at) VALUES (%s, %s, %s)",
            [topic_id, p_hash, now],
        )
    return JsonResponse({"supports": supports}, status=201)


@csrf_exempt
def floor_legislative_opinion(request, draft_id: int):
    """A public legislative opinion as plain SQL: the opinion row and its history row in one transaction,
    under a fresh tracking code; body `{article, content}`."""
    from legislation.models import Opinion
    from liaison.codes import new_code

    d = json.loads(request.body)
    now = timezone.now()
    o = Opinion(
        draft_id=draft_id,
        article_id=d.get("article"),
        content=d["content"],
        source="public",
        tracking_code=new_code(10),
        created_at=now,
    )
    history = Opinion.history.model
    with transaction.atomic(), connection.cursor() as cursor:
        o.pk = _insert(cursor, o)
        copied = {
            f.attname: getattr(o, f.attname) for f in history._meta.concrete_fields if hasattr(o, f.attname)
        }
        copied.pop("history_id", None)
        _insert(cursor, history(**copied, history_date=now, history_type="+"))
    return JsonResponse({"tracking_code": o.tracking_code}, status=201)


urlpatterns = [
    path("bench/trivial/", trivial, name="bench-trivial"),
    path("bench/trivial-post/", trivial_post),
    path("bench/floor/insert/", floor_insert),
    path("bench/floor/suggestion/", floor_suggestion),
    path("bench/floor/topics/<int:topic_id>/support/", floor_support),
    path("bench/floor/drafts/<int:draft_id>/opinions/", floor_legislative_opinion),
    path("", include("liaison.urls")),
]
