"""A task travels through Redis to a real worker process and back."""

import os
import subprocess
import sys
import threading
import time
import uuid

import pytest
import redis
from celery._state import _set_task_join_will_block, task_join_will_block
from django.conf import settings

from marketplace.celery import app as celery_app
from marketplace.core.tasks import ping


@pytest.fixture
def celery_worker_process():
    """Start `celery worker` on a private queue, yield the queue, stop it."""
    queue = f"ocop-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "marketplace.settings.test",
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "marketplace",
            "worker",
            "--pool=solo",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
            "--loglevel=WARNING",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    previous_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    # This process is the worker's client, never a worker, so it may wait
    # for a result. Celery keeps "results may not be awaited here" in one
    # process-wide flag, and each eager task sets and restores it around
    # itself; two eager tasks on two threads at once (a live server serving
    # two browsers) restore each other's value and leave it stuck on.
    # Celery's own `celery.contrib.testing.worker.start_worker` clears it
    # the same way.
    _set_task_join_will_block(False)
    try:
        yield queue
    finally:
        celery_app.conf.task_always_eager = previous_eager
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


@pytest.fixture
def eager_tasks_ran_on_threads():
    """Run eager tasks on several threads at once, as the live-server tests
    do, until Celery's process-wide join flag is left stuck on."""
    previous_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        for _ in range(1000):
            threads = [threading.Thread(target=ping.delay, args=[f"luồng {n}"]) for n in range(4)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            if task_join_will_block():
                return
        pytest.fail("eager tasks on threads did not leave the flag on")
    finally:
        celery_app.conf.task_always_eager = previous_eager


def test_redis_answers():
    # given the REDIS_URL the settings use
    client = redis.Redis.from_url(settings.REDIS_URL)
    # when we write and read a key
    key = f"ocop-test-{uuid.uuid4().hex}"
    client.set(key, "xin chào", ex=30)
    # then Redis gives it back
    assert client.get(key).decode() == "xin chào"


def test_task_runs_in_a_worker_through_redis(celery_worker_process):
    # given a worker listening on a private queue, and a Redis broker
    assert celery_app.conf.broker_url.startswith("redis://")
    # when a task is sent to that queue
    started = time.monotonic()
    result = ping.apply_async(args=["chợ OCOP"], queue=celery_worker_process)
    answer = result.get(timeout=60)
    # then the worker ran it in another process and the result came back
    assert answer["echo"] == "chợ OCOP"
    assert answer["pid"] != os.getpid()
    assert time.monotonic() - started < 60


def test_a_result_comes_back_after_eager_tasks_ran_on_threads(
    eager_tasks_ran_on_threads, celery_worker_process
):
    # given earlier tests ran eager tasks on threads at once, which leaves
    # Celery believing this process is inside a task
    # when a task is sent to the worker and its result awaited
    result = ping.apply_async(args=["sau luồng"], queue=celery_worker_process)
    answer = result.get(timeout=60)
    # then the result comes back instead of "Never call result.get()"
    assert answer["echo"] == "sau luồng"
