"""moto's settings for berth's tests, in one place for every way the tests
run moto (`serve.py`, `fast_app.py` under granian, `forkserver.py`), so
that all of them serve the same moto. moto reads them at request time;
they are set before it is imported all the same: import this first.
"""

import os

# AWS's managed policies exist, as in a real account (AttachRolePolicy of
# an AWS policy ARN is answered as AWS answers it).
os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
# A new ECS service reports one task running (moto runs none of its own).
os.environ.setdefault("MOTO_ECS_SERVICE_RUNNING", "1")
# ACM issues a requested certificate two seconds after the request, where
# AWS takes a few minutes once the validation records are there (moto
# looks for none): long enough that berth's wait for it is exercised,
# short enough for the tests (moto's default is a minute). Read at import.
os.environ.setdefault("MOTO_ACM_VALIDATION_WAIT", "2")
