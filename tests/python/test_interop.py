"""Python interop: what the seed's clients do, with assertions, using Debian's python3-grpcio.

Runs against the server at $TESSERA_ADDRESS with stubs user_pb2/user_pb2_grpc generated from
proto/user/v1/user.proto (scripts/python-tests sets both up). Prints one PASS/FAIL line per test.
"""
import asyncio
import os
import uuid

import grpc
from google.protobuf import field_mask_pb2

import user_pb2
import user_pb2_grpc

import runner

ADDRESS = os.environ.get("TESSERA_ADDRESS", "127.0.0.1:50051")
RUN = uuid.uuid4().hex[:8]


def unique(name):
    return f"{name}_{RUN}"


def test_sync_crud_and_stream():
    with grpc.insecure_channel(ADDRESS) as channel:
        stub = user_pb2_grpc.UserServiceStub(channel)
        created = stub.CreateUser(user_pb2.CreateUserRequest(
            username=unique("john"), email=f"{unique('john')}@example.com",
            password="secure_password", full_name="John Doe"), timeout=10).user
        assert created.id > 0, created
        assert created.full_name == "John Doe"
        assert created.is_active
        assert created.created_at.seconds > 0

        got = stub.GetUser(user_pb2.GetUserRequest(user_id=created.id), timeout=10)
        assert got.username == created.username and got.email == created.email

        listed = [u.username for u in stub.ListUsers(user_pb2.ListUsersRequest(), timeout=10)]
        assert created.username in listed, listed

        # As the seed's update_user: only the populated field, no mask.
        updated = stub.UpdateUser(user_pb2.UpdateUserRequest(
            user_id=created.id, user=user_pb2.User(full_name="John Smith")), timeout=10)
        assert updated.full_name == "John Smith"
        assert updated.email == created.email, "fields not named must keep their values"

        stub.DeleteUser(user_pb2.DeleteUserRequest(user_id=created.id), timeout=10)
        try:
            stub.GetUser(user_pb2.GetUserRequest(user_id=created.id), timeout=10)
            raise AssertionError("a deleted user must be NOT_FOUND")
        except grpc.RpcError as e:
            assert e.code() == grpc.StatusCode.NOT_FOUND, e.code()


def test_errors_carry_codes():
    with grpc.insecure_channel(ADDRESS) as channel:
        stub = user_pb2_grpc.UserServiceStub(channel)
        for request, code in [
            (user_pb2.CreateUserRequest(username="x", email="bad"), grpc.StatusCode.INVALID_ARGUMENT),
            (user_pb2.ListUsersRequest(filter="username = "), grpc.StatusCode.INVALID_ARGUMENT),
        ]:
            try:
                if isinstance(request, user_pb2.CreateUserRequest):
                    stub.CreateUser(request, timeout=10)
                else:
                    list(stub.ListUsers(request, timeout=10))
                raise AssertionError(f"{request} should fail")
            except grpc.RpcError as e:
                assert e.code() == code, (e.code(), e.details())
                assert e.details(), "the status must say what is wrong"

        name = unique("dup")
        stub.CreateUser(user_pb2.CreateUserRequest(username=name, email=f"{name}@example.com"), timeout=10)
        try:
            stub.CreateUser(user_pb2.CreateUserRequest(username=name.upper(), email=f"other_{name}@example.com"), timeout=10)
            raise AssertionError("a case-insensitive duplicate username must fail")
        except grpc.RpcError as e:
            assert e.code() == grpc.StatusCode.ALREADY_EXISTS, e.code()
            assert "username" in e.details()


def test_update_with_mask_and_filter():
    with grpc.insecure_channel(ADDRESS) as channel:
        stub = user_pb2_grpc.UserServiceStub(channel)
        name = unique("masked")
        user = stub.CreateUser(user_pb2.CreateUserRequest(username=name, email=f"{name}@example.com", full_name="A"), timeout=10).user
        updated = stub.UpdateUser(user_pb2.UpdateUserRequest(
            user_id=user.id, user=user_pb2.User(is_active=False),
            update_mask=field_mask_pb2.FieldMask(paths=["is_active"])), timeout=10)
        assert not updated.is_active and updated.full_name == "A"
        found = list(stub.ListUsers(user_pb2.ListUsersRequest(filter=f'username:"{name}*" AND is_active = false'), timeout=10))
        assert [u.id for u in found] == [user.id], found


async def _async_seed_flow():
    async with grpc.aio.insecure_channel(ADDRESS) as channel:
        stub = user_pb2_grpc.UserServiceStub(channel)
        names = [unique(f"async{i}") for i in range(5)]
        responses = await asyncio.gather(*[
            stub.CreateUser(user_pb2.CreateUserRequest(username=n, email=f"{n}@example.com", password="password"), timeout=30)
            for n in names])
        assert sorted(r.user.username for r in responses) == sorted(names)
        assert len({r.user.id for r in responses}) == 5
        streamed = [u.username async for u in stub.ListUsers(user_pb2.ListUsersRequest(), timeout=10)]
        for n in names:
            assert n in streamed, n


def test_async_concurrent_creates_then_stream():
    asyncio.run(_async_seed_flow())


def test_bulk_create_and_watch():
    with grpc.insecure_channel(ADDRESS) as channel:
        stub = user_pb2_grpc.UserServiceStub(channel)
        start = list(stub.ListUsers(user_pb2.ListUsersRequest(), timeout=10))
        names = [unique(f"bulk{i}") for i in range(20)]
        requests = [user_pb2.CreateUserRequest(username=n, email=f"{n}@example.com") for n in names]
        requests.insert(5, user_pb2.CreateUserRequest(username="!", email="nope"))
        summary = stub.BulkCreateUsers(iter(requests), timeout=30)
        assert summary.created_count == 20, summary
        assert summary.failed_count == 1 and summary.failures[0].index == 5, summary
        events = stub.WatchUserChanges(user_pb2.WatchUserRequest(start_revision=summary.last_revision - 20, filter=f'username:"bulk*_{RUN}"'), timeout=10)
        seen = []
        for event in events:
            seen.append(event.user.username)
            if len(seen) == 20:
                events.cancel()
                break
        assert seen == names, seen
        assert len(start) >= 0



def test_oversized_header_fails_no_other_call():
    """grpcio sends a 100 KB header where the .NET client would refuse to (the server's 128 KiB header limit): that
    call is answered, and a watch on the same connection goes on. Before the limit was raised from Kestrel's 32 KiB,
    the server closed the whole connection (GOAWAY) and the watch ended UNAVAILABLE."""
    with grpc.insecure_channel(ADDRESS) as channel:
        stub = user_pb2_grpc.UserServiceStub(channel)
        first, second = unique("before_header"), unique("after_header")
        stub.CreateUser(user_pb2.CreateUserRequest(username=first, email=f"{first}@example.com"), timeout=10)
        events = stub.WatchUserChanges(user_pb2.WatchUserRequest(start_revision=0, filter=f'username = "{first}" OR username = "{second}"'), timeout=20)
        assert next(events).user.username == first
        try:
            stub.GetUser(user_pb2.GetUserRequest(user_id=2**62), metadata=[("authorization", "Bearer " + "a" * 100_000)], timeout=10)
            raise AssertionError("user 2**62 must be NOT_FOUND")
        except grpc.RpcError as e:
            assert e.code() == grpc.StatusCode.NOT_FOUND, (e.code(), e.details())
        stub.CreateUser(user_pb2.CreateUserRequest(username=second, email=f"{second}@example.com"), timeout=10)
        assert next(events).user.username == second
        events.cancel()

if __name__ == "__main__":
    runner.run(globals(), "python")
