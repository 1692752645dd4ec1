"""Writes N gRPC-framed CreateUserRequest messages (unique users, no password) for BulkCreateUsers over raw HTTP/2.
Usage: bulk_body.py N PREFIX OUT. Decodes nothing; protobuf fields 1 (username), 2 (email), 4 (full_name)."""
import struct
import sys


def field(number, text):
    data = text.encode()
    return bytes([number << 3 | 2]) + varint(len(data)) + data


def varint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


count, prefix, path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
with open(path, "wb") as out:
    for i in range(count):
        name = f"{prefix}_{i}"
        message = field(1, name) + field(2, f"{name}@bench.example.com") + field(4, f"Bench User {i}")
        out.write(b"\x00" + struct.pack(">I", len(message)) + message)
