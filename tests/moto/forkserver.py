"""Hands each AWS test a fresh moto server in milliseconds, by fork.

A moto server spends seconds before its first answer on every test: the
Python start and moto's import (about a second), then on the first call to
each service its code and backends (EC2 two seconds and more, IAM's managed
policies another second). `scripts/test.sh` starts this process once per
run: it imports moto, warms one application with a read of every service
berth calls, in process and without threads, then listens on a Unix
socket. Each connection is a test asking for a server (`Moto::start` when
`BERTH_MOTO_FORKSERVER` names the socket): the process forks, and the
child, holding that warm application and no resource of any other test,
serves it on a free port of 127.0.0.1, writes the endpoint on the
connection and exits when the connection closes, that is when the test's
process ends, even killed. moto's state lives in the child only: tests
never share a server.

    forkserver.py SOCKET     listen on SOCKET, print "ready" once listening

It exits within a second of its parent (the test script), on SIGTERM, or
on SIGINT.
"""

import gc
import logging
import os
import random
import signal
import socket
import sys
import threading
import traceback

import moto_settings  # noqa: E402,F401  (before moto)

from moto.moto_api._internal import mock_random  # noqa: E402
from moto.moto_server.werkzeug_app import (  # noqa: E402
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server  # noqa: E402
from werkzeug.test import Client  # noqa: E402

REGION = "us-east-1"

# One read per service berth calls, as the SDK sends it: moto picks the
# service from the credential scope of the Authorization header.
QUERY = "application/x-www-form-urlencoded"
JSON = "application/x-amz-json-1.1"
WARM_UP = [
    ("ec2", "POST", "/", QUERY, "Action=DescribeVpcs&Version=2016-11-15", None),
    (
        "elasticloadbalancing",
        "POST",
        "/",
        QUERY,
        "Action=DescribeLoadBalancers&Version=2015-12-01",
        None,
    ),
    ("iam", "POST", "/", QUERY, "Action=ListRoles&Version=2010-05-08", None),
    ("sts", "POST", "/", QUERY, "Action=GetCallerIdentity&Version=2011-06-15", None),
    ("ecs", "POST", "/", JSON, "{}", "AmazonEC2ContainerServiceV20141113.ListClusters"),
    ("logs", "POST", "/", JSON, "{}", "Logs_20140328.DescribeLogGroups"),
    ("ssm", "POST", "/", JSON, "{}", "AmazonSSM.DescribeParameters"),
    (
        "application-autoscaling",
        "POST",
        "/",
        JSON,
        '{"ServiceNamespace": "ecs"}',
        "AnyScaleFrontendService.DescribeScalableTargets",
    ),
    (
        "ecr",
        "POST",
        "/",
        JSON,
        "{}",
        "AmazonEC2ContainerRegistry_V20150921.DescribeRepositories",
    ),
    (
        "servicediscovery",
        "POST",
        "/",
        JSON,
        "{}",
        "Route53AutoNaming_v20170314.ListNamespaces",
    ),
    ("acm", "POST", "/", JSON, "{}", "CertificateManager.ListCertificates"),
    (
        "tagging",
        "POST",
        "/",
        JSON,
        "{}",
        "ResourceGroupsTaggingAPI_20170126.GetResources",
    ),
    ("route53", "GET", "/2013-04-01/hostedzone", None, None, None),
]


def warm(app: DomainDispatcherApplication) -> None:
    """Sends `app` one read per service; fails unless each is answered."""
    client = Client(app)
    for service, method, path, content_type, body, target in WARM_UP:
        headers = {
            "Authorization": "AWS4-HMAC-SHA256 Credential=testing/20260101/"
            f"{REGION}/{service}/aws4_request, SignedHeaders=host, Signature=0",
        }
        if content_type:
            headers["Content-Type"] = content_type
        if target:
            headers["X-Amz-Target"] = target
        response = client.open(path, method=method, data=body, headers=headers)
        if response.status_code != 200:
            raise SystemExit(
                f"forkserver: warming {service} failed: {response.status_code} "
                f"{response.get_data(as_text=True)[:300]}"
            )


def serve_one(app: DomainDispatcherApplication, conn: socket.socket) -> None:
    """In the forked child: serves `app` until `conn` closes, then exits."""
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        # A fresh process draws its own random ids; a fork would repeat
        # its parent's sequence in every child.
        random.seed()
        mock_random.seed()
        # As moto's own ThreadedMotoServer serves it (serve.py).
        server = make_server(
            "127.0.0.1", 0, app, threaded=True, request_handler=MotoRequestHandler
        )
        threading.Thread(target=server.serve_forever, daemon=True).start()
        conn.sendall(f"http://127.0.0.1:{server.server_port}\n".encode())
        while conn.recv(4096):
            pass
    except BaseException:
        # The test sees no endpoint and says so; this says why.
        traceback.print_exc()
    finally:
        os._exit(0)


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    parent = os.getppid()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    app = DomainDispatcherApplication(create_backend_app)
    warm(app)
    if threading.active_count() != 1:
        # fork copies only the calling thread: a lock another thread held
        # would stay held in every child.
        print("forkserver: a thread runs after warming moto; cannot fork", file=sys.stderr)
        return 1
    # What the warm-up made lives as long as the process: kept out of the
    # collector, it is not written to, so children share its pages.
    gc.freeze()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(sys.argv[1])
    listener.listen(64)
    # Woken every second to see whether the test script is still there.
    listener.settimeout(1.0)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children reaped by the kernel
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("ready", flush=True)
    while os.getppid() == parent:
        try:
            conn, _ = listener.accept()
        except (TimeoutError, InterruptedError):
            continue
        conn.settimeout(None)
        if os.fork() == 0:
            listener.close()
            serve_one(app, conn)
        conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
