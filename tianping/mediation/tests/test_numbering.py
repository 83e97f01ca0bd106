"""Dispute numbers under parallel registrations: one sequence per court and year, no duplicates, no gaps
(PostgreSQL only: SQLite serialises writers on the whole file, so there is no race to test)."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import close_old_connections, connection

from tianping.mediation.tests.conftest import person_party

THREADS = 8
PER_THREAD = 3


@pytest.mark.django_db(transaction=True)
def test_parallel_registrations_get_distinct_consecutive_numbers(reference_data, court, centre):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks); SQLite serialises writers")
    from tianping.mediation import services
    from tianping.mediation.models import Dispute

    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def work(t: int) -> None:
        try:
            barrier.wait()
            for i in range(PER_THREAD):
                n = 1000 + t * 10 + i
                services.dispute_register(
                    court=court, actor=centre, registered_on=date(2024, 7, 1), cause="民间借贷纠纷", summary="并发登记",
                    source="application", consent_to_mediation=True,
                    parties=[person_party(n * 2, "applicant"), person_party(n * 2 + 1, "respondent")])
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=work, args=(t,)) for t in range(THREADS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors, errors
    numbers = list(Dispute.objects.filter(court=court).values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == THREADS * PER_THREAD
    assert set(numbers) == {f"(2024)鲁0403民诉前调{i}号" for i in range(1, THREADS * PER_THREAD + 1)}
