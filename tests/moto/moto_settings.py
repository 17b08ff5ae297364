"""moto's settings for berth's tests, in one place for every way the tests
run moto (`serve.py`, `fast_app.py` under granian, `forkserver.py`), so
that all of them serve the same moto. moto reads them at request time;
they are set before it is imported all the same: import this first.

It also puts the few answers moto serialises under another XML root than
AWS under AWS's (last in this file): the SDK for Rust refuses the others.
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


# Answers moto serialises under another root element than AWS: boto3
# takes any root, the SDK for Rust only AWS's. Only the element's name is
# changed; what moto answers inside it stays as it is.
def _answered_under_aws_root(method: str, moto_root: str, aws_root: str) -> None:
    from moto.s3.responses import S3Response

    answer = getattr(S3Response, method)
    if getattr(answer, "berth_root_fixed", False):
        return

    def fixed(self):  # type: ignore[no-untyped-def]
        status, headers, body = answer(self)
        if isinstance(body, bytes):
            body = body.replace(moto_root.encode(), aws_root.encode())
        elif isinstance(body, str):
            body = body.replace(moto_root, aws_root)
        return status, headers, body

    fixed.berth_root_fixed = True  # type: ignore[attr-defined]
    setattr(S3Response, method, fixed)


# moto 5.2 answers GetBucketVersioning as `<GetBucketVersioningResponse>`;
# S3 as `<VersioningConfiguration>` (the SDK for Rust fails to parse the
# former: "invalid XML root").
_answered_under_aws_root(
    "get_bucket_versioning", "GetBucketVersioningResponse", "VersioningConfiguration"
)
