from celery import shared_task

from .services import reception_days_generate, reception_duty_remind


@shared_task
def generate_reception_days() -> int:
    return reception_days_generate()


@shared_task
def remind_reception_duty() -> int:
    return reception_duty_remind()
