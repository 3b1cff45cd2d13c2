"""The suite runs on PostgreSQL, not SQLite."""

from django.db import connection


def test_suite_runs_on_postgresql(db):
    # given the test database connection
    # when we ask the server for its version
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (version,) = cursor.fetchone()
    # then it is a PostgreSQL 15+ server
    assert connection.vendor == "postgresql"
    assert int(version.split(".")[0]) >= 15
