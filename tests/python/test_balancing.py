"""Python grpcio balancing over three user-service processes, with the guide's options (issue 9, Tests, Balancing).

The channel is made exactly as the guide configures a client: a `grpc.service_config` with round_robin and client-side
health checking of `user.v1.UserService`, keepalive 10 s / 3 s permitted without calls, against
`ipv4:127.0.0.1:A,127.0.0.1:B,127.0.0.1:C` (plus a default authority: see OPTIONS). Calls spread over all three; one stopped (SIGTERM: it reports NOT_SERVING,
then goes), every call succeeds on the others; started again, it gets calls again.

This test starts its own servers: `dotnet $TESSERA_SERVER_DLL --services users --auth none`, each with a SQLite data
directory of its own, in which it makes one user named after the process, so the username a GetUser answers with says
which process answered. Stubs user_pb2/user_pb2_grpc on PYTHONPATH (scripts/python-tests sets both up).
"""
import json
import os
import signal
import socket
import subprocess
import tempfile
import threading
import time

import grpc

import user_pb2
import user_pb2_grpc

import runner

SERVER_DLL = os.environ["TESSERA_SERVER_DLL"]
NAMES = ["process-a", "process-b", "process-c"]
CALL_TIMEOUT = 10
# Bounds every wait: a process to start, the channel to reach a process that came back.
WAIT = 60

SERVICE_CONFIG = json.dumps({
    "loadBalancingConfig": [{"round_robin": {}}],
    "healthCheckConfig": {"serviceName": "user.v1.UserService"},
})
OPTIONS = [
    ("grpc.service_config", SERVICE_CONFIG),
    ("grpc.keepalive_time_ms", 10_000),
    ("grpc.keepalive_timeout_ms", 3_000),
    ("grpc.keepalive_permit_without_calls", 1),
    # Not a balancing option, but needed: for an ipv4: target of several addresses grpcio sends the whole list
    # ("127.0.0.1:A,127.0.0.1:B,...") as the :authority, which is not a valid authority and which Kestrel refuses
    # (RST_STREAM PROTOCOL_ERROR, every call INTERNAL, the health watch too). Any one host name will do.
    ("grpc.default_authority", "localhost"),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One `--services users --auth none` process; its port and data directory outlive stop() and start()."""

    def __init__(self, root, name):
        self.name = name
        self.port = free_port()
        self.data_dir = os.path.join(root, name)
        self.log_path = os.path.join(root, f"{name}.log")
        self.process = None

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"

    def start(self):
        log = open(self.log_path, "ab")  # noqa: SIM115 - the process writes to it until it exits
        self.process = subprocess.Popen(
            ["dotnet", SERVER_DLL, "--services", "users", "--auth", "none", "--urls", f"http://{self.address}", "--web-urls", "none",
             "--data-dir", self.data_dir, "--shutdown-seconds", "1"],
            stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + WAIT
        with grpc.insecure_channel(self.address) as channel:
            try:
                grpc.channel_ready_future(channel).result(timeout=WAIT)
            except grpc.FutureTimeoutError:
                raise AssertionError(f"{self.name} did not start: {self.log_tail()}") from None
            stub = user_pb2_grpc.UserServiceStub(channel)
            while True:
                try:
                    stub.SearchUsers(user_pb2.SearchUsersRequest(page_size=1), timeout=CALL_TIMEOUT)
                    return
                except grpc.RpcError as e:
                    if e.code() != grpc.StatusCode.UNAVAILABLE or time.monotonic() > deadline:
                        raise

    def stop(self):
        if self.process is not None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=WAIT)
            self.process = None

    def kill(self):
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def log_tail(self):
        with open(self.log_path, errors="replace") as f:
            return " ".join(f.read().splitlines()[-5:])

    def create_user(self):
        with grpc.insecure_channel(self.address) as channel:
            stub = user_pb2_grpc.UserServiceStub(channel)
            return stub.CreateUser(user_pb2.CreateUserRequest(
                username=self.name, email=f"{self.name}@example.com"), timeout=CALL_TIMEOUT).user


def call(stub, user_id):
    return stub.GetUser(user_pb2.GetUserRequest(user_id=user_id), timeout=CALL_TIMEOUT).username


def call_until(stub, user_id, done):
    answers = []
    deadline = time.monotonic() + WAIT
    while not done(answers):
        assert time.monotonic() < deadline, f"not reached within {WAIT} s; answers: {answers[-10:]}"
        answers.append(call(stub, user_id))
    return answers


def test_round_robin_with_health_checking_spreads_skips_a_stopped_process_and_takes_it_back():
    with tempfile.TemporaryDirectory() as root:
        servers = [Server(root, name) for name in NAMES]
        try:
            for server in servers:
                server.start()
            ids = {server.create_user().id for server in servers}
            assert len(ids) == 1, f"fresh stores should number their first user alike: {ids}"
            user_id = ids.pop()

            target = "ipv4:" + ",".join(server.address for server in servers)
            with grpc.insecure_channel(target, options=OPTIONS) as channel:
                stub = user_pb2_grpc.UserServiceStub(channel)

                call_until(stub, user_id, lambda answers: len(set(answers)) == 3)
                spread = [call(stub, user_id) for _ in range(30)]
                counts = {name: spread.count(name) for name in NAMES}
                # round_robin over three healthy processes: each gets its share, in turn.
                assert all(count == 10 for count in counts.values()), counts

                # Calls go on one after another while process-b stops: not one fails.
                stopped = threading.Event()
                failures, during = [], []

                def keep_calling():
                    while not stopped.is_set():
                        try:
                            during.append(call(stub, user_id))
                        except grpc.RpcError as e:
                            failures.append(f"{e.code()}: {e.details()}")

                caller = threading.Thread(target=keep_calling)
                caller.start()
                servers[1].stop()
                stopped.set()
                caller.join()
                assert not failures, failures
                assert during, "no call was made while process-b stopped"

                down = [call(stub, user_id) for _ in range(30)]
                assert set(down) == {NAMES[0], NAMES[2]}, set(down)

                servers[1].start()
                call_until(stub, user_id, lambda answers: NAMES[1] in answers)
                back = [call(stub, user_id) for _ in range(30)]
                counts = {name: back.count(name) for name in NAMES}
                assert all(count == 10 for count in counts.values()), counts
        finally:
            for server in servers:
                server.kill()


if __name__ == "__main__":
    runner.run(globals(), "python")
