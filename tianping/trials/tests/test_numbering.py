"""case_number_allocate / case_register: per court, year and type; never reused; safe under concurrency."""

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from tianping.trials.models import Case
from tianping.trials.services import case_number_allocate, case_register


@pytest.mark.django_db
def test_sequence_per_court_year_type(court, other_court):
    assert case_number_allocate(court=court, year=2016, type_code="民初") == "(2016)鲁0403民初1号"
    assert case_number_allocate(court=court, year=2016, type_code="民初") == "(2016)鲁0403民初2号"
    assert case_number_allocate(court=court, year=2016, type_code="民诉前调") == "(2016)鲁0403民诉前调1号"
    assert case_number_allocate(court=court, year=2017, type_code="民初") == "(2017)鲁0403民初1号"
    assert case_number_allocate(court=other_court, year=2016, type_code="民初") == "(2016)鲁0404民初1号"
    with pytest.raises(ValidationError, match="不在案件类型表中"):
        case_number_allocate(court=court, year=2016, type_code="民x")


@pytest.mark.django_db
def test_register_continues_after_imported_numbers(court, make_user):
    from tianping.trials.tests.factories import make_case

    make_case(court, filed_on=date(2016, 1, 5), seq=500)
    actor = make_user(court, "trial_office")
    case = case_register(court=court, type_code="民初", filed_on=date(2016, 3, 1), cause="民间借贷纠纷", actor=actor,
                         procedure="summary", parties=[{"name": "甲", "role": "原告"}], source_note="诉前调解转立案")
    assert case.number == "(2016)鲁0403民初501号" and case.deadline == date(2016, 6, 1)
    assert case.parties[0]["role"] == "原告"
    from tianping.core.models import AuditEvent

    assert AuditEvent.objects.filter(event="case.registered", object_id=str(case.pk)).exists()


@pytest.mark.django_db
def test_rolled_back_number_is_not_reused_after_commit(court):
    from django.db import transaction

    first = case_number_allocate(court=court, year=2016, type_code="执")
    with pytest.raises(RuntimeError), transaction.atomic():
        case_number_allocate(court=court, year=2016, type_code="执")
        raise RuntimeError
    # the rolled-back allocation left no trace: the next number follows the committed one
    assert first == "(2016)鲁0403执1号"
    assert case_number_allocate(court=court, year=2016, type_code="执") == "(2016)鲁0403执2号"


@pytest.mark.django_db(transaction=True)
def test_parallel_allocation_never_duplicates(court):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL; SQLite serialises whole-database writes")
    numbers: list[str] = []
    errors: list[Exception] = []
    lock = threading.Lock()
    barrier = threading.Barrier(8)

    def worker():
        try:
            barrier.wait()
            for _ in range(10):
                n = case_number_allocate(court=court, year=2016, type_code="民初")
                with lock:
                    numbers.append(n)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(numbers) == 80 and len(set(numbers)) == 80
    assert sorted(int(n.split("民初")[1][:-1]) for n in numbers) == list(range(1, 81))
    assert Case.objects.count() == 0
