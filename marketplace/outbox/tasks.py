"""The outbox's worker side: run one recorded task, or sweep the late ones."""

from celery import shared_task

from marketplace.outbox.worker import outbox_run, outbox_sweep


@shared_task(name="outbox.run", ignore_result=True)
def outbox_run_task(task_id: int) -> bool:
    """Sent when the recording transaction commits."""
    return outbox_run(task_id=task_id)


@shared_task(name="outbox.sweep", ignore_result=True)
def outbox_sweep_task() -> int:
    """Beat, every minute: finish whatever the commit-time task did not."""
    return outbox_sweep()
