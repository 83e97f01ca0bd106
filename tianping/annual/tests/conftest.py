# the hand-built sets of the apps whose figures the report gathers
from tianping.mediation.tests.conftest import centre, make_dispute, mediator, mediator_user, reference_data  # noqa: F401
from tianping.trials.tests.conftest import _trials_reference_data, casebook  # noqa: F401
