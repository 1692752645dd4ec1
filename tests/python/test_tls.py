"""Python grpcio over TLS and mutual TLS, against servers started with the certificates of `tessera certs dev`.

Environment (scripts/python-tests sets it up): TESSERA_TLS_ADDRESS (a server with --tls-cert/--tls-key),
TESSERA_MTLS_ADDRESS (the same plus --tls-client-ca), TESSERA_CERTS (the directory `certs dev` wrote; its
other/ subdirectory holds a second set from another CA), and stubs user_pb2/user_pb2_grpc on PYTHONPATH.
Both servers run with --auth none. Prints one PASS/FAIL line per test; exits non-zero if any failed.
"""
import os
import uuid

import grpc

import user_pb2
import user_pb2_grpc

import runner

TLS_ADDRESS = os.environ["TESSERA_TLS_ADDRESS"]
MTLS_ADDRESS = os.environ["TESSERA_MTLS_ADDRESS"]
CERTS = os.environ["TESSERA_CERTS"]
RUN = uuid.uuid4().hex[:8]
# Long enough for a first handshake on a slow machine; a refusal comes back at once, not at the deadline.
TIMEOUT = 10


def read(name, directory=CERTS):
    with open(os.path.join(directory, name), "rb") as f:
        return f.read()


def credentials(ca="ca.pem", client=False, ca_dir=CERTS, client_dir=CERTS):
    return grpc.ssl_channel_credentials(
        root_certificates=read(ca, ca_dir) if ca else None,
        private_key=read("client-key.pem", client_dir) if client else None,
        certificate_chain=read("client.pem", client_dir) if client else None,
    )


def create(stub, prefix):
    name = f"{prefix}_{RUN}"
    return stub.CreateUser(user_pb2.CreateUserRequest(username=name, email=f"{name}@example.com"), timeout=TIMEOUT).user


def count(address, prefix, creds):
    with grpc.secure_channel(address, creds) as channel:
        stub = user_pb2_grpc.UserServiceStub(channel)
        return stub.SearchUsers(user_pb2.SearchUsersRequest(filter=f'username:"{prefix}_{RUN}"'), timeout=TIMEOUT).total_size


def refused(address, creds, prefix):
    """The call fails with UNAVAILABLE (the handshake failed) and nothing was created."""
    with grpc.secure_channel(address, creds) as channel:
        stub = user_pb2_grpc.UserServiceStub(channel)
        try:
            create(stub, prefix)
        except grpc.RpcError as e:
            assert e.code() == grpc.StatusCode.UNAVAILABLE, (e.code(), e.details())
        else:
            raise AssertionError(f"{address}: the call should have been refused")


def test_tls_with_the_dev_ca():
    with grpc.secure_channel(TLS_ADDRESS, credentials()) as channel:
        stub = user_pb2_grpc.UserServiceStub(channel)
        user = create(stub, "pytls")
        got = stub.GetUser(user_pb2.GetUserRequest(user_id=user.id), timeout=TIMEOUT)
        assert got.username == user.username, got


def test_tls_with_another_ca_is_refused():
    refused(TLS_ADDRESS, credentials(ca_dir=os.path.join(CERTS, "other")), "pyotherca")
    assert count(TLS_ADDRESS, "pyotherca", credentials()) == 0


def test_plaintext_to_tls_is_refused():
    with grpc.insecure_channel(TLS_ADDRESS) as channel:
        stub = user_pb2_grpc.UserServiceStub(channel)
        try:
            create(stub, "pyplain")
            raise AssertionError("a plaintext call to a TLS server must fail")
        except grpc.RpcError as e:
            assert e.code() == grpc.StatusCode.UNAVAILABLE, (e.code(), e.details())
    assert count(TLS_ADDRESS, "pyplain", credentials()) == 0


def test_mtls_with_the_dev_client_certificate():
    with grpc.secure_channel(MTLS_ADDRESS, credentials(client=True)) as channel:
        stub = user_pb2_grpc.UserServiceStub(channel)
        user = create(stub, "pymtls")
        assert stub.GetUser(user_pb2.GetUserRequest(user_id=user.id), timeout=TIMEOUT).id == user.id


def test_mtls_without_a_client_certificate_is_refused():
    refused(MTLS_ADDRESS, credentials(client=False), "pynocert")
    assert count(MTLS_ADDRESS, "pynocert", credentials(client=True)) == 0


def test_mtls_with_a_client_certificate_from_another_ca_is_refused():
    refused(MTLS_ADDRESS, credentials(client=True, client_dir=os.path.join(CERTS, "other")), "pyforeign")
    assert count(MTLS_ADDRESS, "pyforeign", credentials(client=True)) == 0


if __name__ == "__main__":
    runner.run(globals(), "python tls")
