"""PostgreSQL only: concurrent supports and votes are counted once, whatever the interleaving."""

import threading

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from liaison.errors import AlreadyVoted, Conflict, ValidationFailed
from supervision.models import SmsCode, Topic, TopicSupport
from supervision.services.assessments import assessment_create, assessment_open, assessment_vote
from supervision.services.sms_codes import _code_hash, phone_hash
from supervision.services.topics import topic_support

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks and concurrent transactions)")


def _race(n: int, fn) -> list:
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = fn(i)
        except Exception as exc:  # the outcome is what we assert on
            results[i] = exc
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _code(phone: str, code: str = "123456") -> None:
    h = phone_hash(phone)
    SmsCode.objects.create(
        phone_hash=h,
        purpose="support",
        code_hash=_code_hash(h, code),
        expires_at=timezone.now() + timezone.timedelta(minutes=10),
    )


def test_one_code_used_by_many_requests_at_once_supports_once(tree):
    topic = Topic.objects.create(title="议题", area=tree.county, year=2026, proposer_kind="public")
    _code("13812341234")
    results = _race(12, lambda i: topic_support(topic_id=topic.pk, phone="13812341234", code="123456"))
    assert results.count(1) == 1
    assert all(isinstance(r, ValidationFailed | Conflict) for r in results if r != 1)
    topic.refresh_from_db()
    assert topic.supports_count == 1 == TopicSupport.objects.filter(topic=topic).count()


def test_many_numbers_at_once_keep_the_count_exact(tree):
    topic = Topic.objects.create(title="议题", area=tree.county, year=2026, proposer_kind="public")
    phones = [f"1390000{i:04d}" for i in range(20)]
    for p in phones:
        _code(p)
    results = _race(20, lambda i: topic_support(topic_id=topic.pk, phone=phones[i], code="123456"))
    assert sorted(results) == list(range(1, 21))
    topic.refresh_from_db()
    assert topic.supports_count == 20 == TopicSupport.objects.filter(topic=topic).count()


def test_concurrent_votes_by_one_delegate_count_once(tree, unit, delegate):
    a = assessment_create(title="测评", area=tree.county, unit=unit, subject="department", roll=[delegate])
    assessment_open(assessment_id=a.pk)
    results = _race(10, lambda i: assessment_vote(assessment_id=a.pk, delegate=delegate, choice="satisfied"))
    assert sum(1 for r in results if not isinstance(r, Exception)) == 1
    assert all(isinstance(r, AlreadyVoted) for r in results if isinstance(r, Exception))
    assert a.votes.count() == 1
