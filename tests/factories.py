"""factory_boy factories for the domain; personas live in tests/conftest.py."""

import datetime as dt

import factory
from django.utils import timezone

from liaison.accounts.models import User
from stations.models import (
    Appointment,
    Area,
    Delegate,
    HandlingUnit,
    ReceptionDay,
    ReceptionSchedule,
    Station,
    StationMembership,
)


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{990000000000 + n * 1000:012d}")
    name = factory.Sequence(lambda n: f"测试区{n}")
    tier = Area.Tier.COUNTY
    parent = None
    path = factory.LazyAttribute(lambda o: Area.make_path(o.code, o.parent))


class HandlingUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HandlingUnit

    name = factory.Sequence(lambda n: f"测试局{n}")
    area = factory.SubFactory(AreaFactory)
    contact_email = factory.Sequence(lambda n: f"unit{n}@example.cn")


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Station

    name = factory.Sequence(lambda n: f"第{n}代表联络站")
    kind = Station.Kind.STATION
    area = factory.SubFactory(AreaFactory)
    address = factory.Sequence(lambda n: f"人民路{n}号")


class DelegateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegate

    name = factory.Sequence(lambda n: f"代表{n}")
    level = Delegate.Level.COUNTY
    term = 19
    area = factory.SubFactory(AreaFactory)
    mobile = factory.Sequence(lambda n: f"139{n:08d}")
    code = factory.Sequence(lambda n: f"d{n:07d}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StationMembership

    station = factory.SubFactory(StationFactory)
    delegate = factory.SubFactory(DelegateFactory)


class ScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReceptionSchedule

    station = factory.SubFactory(StationFactory)
    frequency = ReceptionSchedule.Frequency.MONTHLY
    day_of_month = 17


class ReceptionDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReceptionDay

    station = factory.SubFactory(StationFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=1))
    planned_date = factory.LazyAttribute(lambda o: o.date)
    start_time = dt.time(9, 0)
    end_time = dt.time(11, 30)


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    code = factory.Sequence(lambda n: f"A{n:07d}")
    delegate = factory.SubFactory(DelegateFactory)
    name = "王小明"
    phone = "13812341234"
    subject = "想反映小区停车难"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    is_active = True

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or "pw-Liaison-2026")
        if create:
            obj.save(update_fields=["password"])
