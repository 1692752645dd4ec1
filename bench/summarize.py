"""Summarizes one bench/run: the ratios taken side by side and each target, met or not. Usage: summarize.py results.jsonl"""
import json
import statistics
import sys

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]


def runs(label):
    return [r for r in rows if r.get("label") == label and "error" not in r]


def rate(r, key="requests_per_second"):
    return float(r.get(key, 0))


def paired(a, b, key="requests_per_second"):
    """Ratios a/b of the runs made in the same round (the i-th of each), and their mean."""
    ratios = [rate(x, key) / rate(y, key) for x, y in zip(runs(a), runs(b)) if rate(y, key) > 0]
    return ratios, (statistics.mean(ratios) if ratios else float("nan"))


def verdict(ok):
    return "MET" if ok else "NOT MET"


def line(text):
    print(text)


errors = [r for r in rows if r.get("errors", 0) > 0 or r.get("failed", 0) > 0 or "error" in r]
for r in errors:
    line(f"!!! {r.get('label')}: errors {r.get('errors_by_code') or r.get('failed') or r.get('error')}")

for a, b, target, what in [
    ("get-user-open", "noop-open", 0.85, "GetUser / no-op, auth off (tessera bench)"),
    ("get-user-auth", "noop-auth", 0.60, "GetUser / no-op, auth on (tessera bench)"),
    ("h2load-get-user-open", "h2load-noop-open", 0.85, "GetUser / no-op, auth off (h2load)"),
    ("h2load-get-user-auth", "h2load-noop-auth", 0.60, "GetUser / no-op, auth on (h2load)"),
    ("get-user-logged", "noop-logged", 0.85, "GetUser / no-op, auth off, --call-log all (tessera bench)"),
    ("h2load-get-user-logged", "h2load-noop-logged", 0.85, "GetUser / no-op, auth off, --call-log all (h2load)"),
    ("rest-get-user", "grpc-get-user", 0.5, "GetUser REST (HTTP/1.1, JSON) / gRPC (h2c), one server (h2load)"),
    ("h2load-get-user-open", "h2load-get-user-bare", 0.85, "GetUser auth off / the bare platform (h2load)"),
    ("h2load-get-user-auth", "h2load-get-user-bare", 0.70, "GetUser auth on, a token on every call / the bare platform (h2load)"),
]:
    ratios, mean = paired(a, b)
    if ratios:
        figures = ", ".join(f"{rate(r):,.0f}" for r in runs(a))
        base = ", ".join(f"{rate(r):,.0f}" for r in runs(b))
        line(f"{what}: {mean:.2f} (rounds {', '.join(f'{x:.2f}' for x in ratios)}; {a} {figures}/s vs {b} {base}/s) target >= {target}: {verdict(mean >= target)}")

for a, b, what in [
    ("get-user-auth", "get-user-open", "GetUser auth on / auth off"),
    ("noop-auth", "noop-open", "no-op auth on / auth off"),
    ("h2load-get-user-auth", "h2load-get-user-open", "GetUser auth on / auth off (h2load)"),
    ("get-user-logged", "get-user-open", "GetUser --call-log all / the default (failed calls only)"),
    ("h2load-noop-logged", "h2load-noop-open", "no-op --call-log all / the default (h2load)"),
    ("h2load-get-user-logged", "h2load-get-user-open", "GetUser --call-log all / the default (h2load)"),
    ("h2load-get-user-logged", "h2load-get-user-bare", "GetUser auth off, --call-log all / the bare platform (h2load)"),
    ("h2load-noop-open", "h2load-get-user-bare", "no-op auth off / the bare platform's GetUser (h2load)"),
    ("rest-get-user-pipelined", "grpc-get-user", "GetUser REST on 2 connections pipelining 32 each / gRPC on 2 connections x 32 streams"),
]:
    ratios, mean = paired(a, b)
    if ratios:
        line(f"{what}: {mean:.2f} (rounds {', '.join(f'{x:.2f}' for x in ratios)})")

for label, auth in [("latency-get-user-open", "auth off"), ("latency-get-user-auth", "auth on")]:
    for r in runs(label):
        l = r["latency_ms"]
        line(f"GetUser p99 at half the maximum rate, {auth} (tessera bench --calls-per-second, {rate(r):,.0f}/s made): "
             f"p50 {l['p50']} p99 {l['p99']} max {l['max']} ms target p99 < 2 ms: {verdict(l['p99'] < 2)}")
    for r in runs(label.replace("latency-get-user-", "latency-get-user-bare-")):
        l = r["latency_ms"]
        line(f"  the bare platform at the same rate, same client ({rate(r):,.0f}/s made): p50 {l['p50']} p99 {l['p99']} max {l['max']} ms")

creates = runs("create-user")
if creates:
    best = max(rate(r) for r in creates)
    line(f"CreateUser without password: {', '.join(f'{rate(r):,.0f}' for r in creates)}/s (p99 {max(r['latency_ms']['p99'] for r in creates)} ms) target >= 15,000/s: {verdict(best >= 15000)}")

ratios, mean = paired("create-user", "create-user-bare")
if ratios:
    line(f"CreateUser / the bare platform's (the same client; bare stores nothing): {mean:.2f} (rounds {', '.join(f'{x:.2f}' for x in ratios)}; "
         f"bare {', '.join(format(rate(r), ',.0f') for r in runs('create-user-bare'))}/s)")

ratios, mean = paired("create-user", "create-user-bare-durable")
if ratios:
    line(f"CreateUser / the bare platform's durable one (the same rows committed to SQLite with a full fsync; its ceiling for this work): {mean:.2f} "
         f"(rounds {', '.join(f'{x:.2f}' for x in ratios)}; bare durable {', '.join(format(rate(r), ',.0f') for r in runs('create-user-bare-durable'))}/s)")

hashes = runs("hash-rate")
with_password = runs("create-user-password")
if hashes and with_password:
    ratios = [rate(c) / h["extra"]["hashes_per_second"] for c, h in zip(with_password, hashes)]
    line(f"CreateUser with password / in-process hash rate: {statistics.mean(ratios):.2f} (rounds {', '.join(f'{x:.2f}' for x in ratios)}; "
         f"creates {', '.join(f'{rate(r):.1f}' for r in with_password)}/s vs hashes {', '.join(str(h['extra']['hashes_per_second']) for h in hashes)}/s) target >= 0.8: {verdict(statistics.mean(ratios) >= 0.8)}")

for label, target, what in [
    ("bulk-create-raw", 100_000, "BulkCreateUsers users/s (raw HTTP/2 client, one stream of 100,000)"),
    ("bulk-create", 100_000, "BulkCreateUsers users/s (tessera bench, streams of 10,000)"),
    ("list-users-raw", 500_000, "ListUsers users/s to one client (raw HTTP/2 client)"),
    ("list-users", 500_000, "ListUsers users/s to one client (tessera bench)"),
]:
    for r in runs(label):
        line(f"{what}: {rate(r, 'items_per_second'):,.0f} ({r['items']:,} users in {r['seconds']} s{', ERROR' if r.get('errors') else ''}) target >= {target:,}: {verdict(rate(r, 'items_per_second') >= target)}")

for r in runs("bulk-create-raw-bare"):
    line(f"BulkCreateUsers on the bare platform (the stream read and parsed, nothing stored): {rate(r, 'items_per_second'):,.0f} users/s")

ratios, mean = paired("bulk-create-raw", "bulk-create-raw-bare-durable", "items_per_second")
if ratios:
    line(f"BulkCreateUsers Tessera / the bare platform's durable one (the same rows, batches of 500 committed to SQLite; raw HTTP/2): {mean:.2f} "
         f"(bare durable {', '.join(format(rate(r, 'items_per_second'), ',.0f') for r in runs('bulk-create-raw-bare-durable'))} users/s)")

ratios, mean = paired("list-users-raw", "list-users-raw-bare", "items_per_second")
if ratios:
    line(f"ListUsers Tessera / the bare platform streaming the same 100,000 users from memory (raw HTTP/2): {mean:.2f} (rounds {', '.join(f'{x:.2f}' for x in ratios)}; "
         f"bare {', '.join(format(rate(r, 'items_per_second'), ',.0f') for r in runs('list-users-raw-bare'))} users/s)")

ratios, mean = paired("list-users-raw", "list-users-raw-bare-durable", "items_per_second")
if ratios:
    line(f"ListUsers Tessera / the bare platform's durable one (its users read from SQLite, raw HTTP/2): {mean:.2f} (rounds {', '.join(f'{x:.2f}' for x in ratios)}; "
         f"bare durable {', '.join(format(rate(r, 'items_per_second'), ',.0f') for r in runs('list-users-raw-bare-durable'))} users/s)")

for r in runs("watch-bare"):
    x = r["extra"]
    line(f"WatchUserChanges on the bare platform (in-memory log, same client): {x['changes_per_second']} changes/s, p50 {r['latency_ms']['p50']} p99 {r['latency_ms']['p99']} ms, errors {r['errors']}")

for r in runs("watch"):
    x = r["extra"]
    ok = r["latency_ms"]["p99"] < 20 and r["errors"] == 0 and x["changes_per_second"] >= 450
    line(f"WatchUserChanges {x['watchers']:.0f} watchers at {x['changes_per_second']} changes/s: p50 {r['latency_ms']['p50']} p99 {r['latency_ms']['p99']} max {r['latency_ms']['max']} ms, "
         f"{r['requests']:,} deliveries, errors {r['errors']} target p99 < 20 ms: {verdict(ok)}")

for r in runs("watch-idle"):
    x = r["extra"]
    ok = x["watchers_open"] == 10000 and r["peak_rss_mb"] <= 250
    line(f"Idle watch streams: {x['watchers_open']:.0f} open, server peak RSS {r['peak_rss_mb']} MB target 10,000 with RSS <= 250 MB: {verdict(ok)}")

for r in runs("watch-idle-bare"):
    line(f"Idle watch streams on the bare platform: {r['extra']['watchers_open']:.0f} open, peak RSS {r['peak_rss_mb']} MB")

for r in runs("chat"):
    line(f"UserChat {r['concurrency']} members: {rate(r):,.0f} round trips/s, {rate(r, 'items_per_second'):,.0f} deliveries/s, p99 {r['latency_ms']['p99']} ms")

# PostgreSQL, one replica, against SQLite in the same run (issue 8's targets).
ratios, mean = paired("pg-get-user", "sqlite-get-user")
if ratios:
    line(f"GetUser PostgreSQL / SQLite: {mean:.2f} (rounds {', '.join(f'{x:.2f}' for x in ratios)}; pg {', '.join(f'{rate(r):,.0f}' for r in runs('pg-get-user'))}/s "
         f"vs sqlite {', '.join(f'{rate(r):,.0f}' for r in runs('sqlite-get-user'))}/s) target >= 0.8: {verdict(mean >= 0.8)}")
pg_creates, sqlite_creates = runs("create-user-pg"), runs("create-user-sqlite")
if pg_creates:
    best = max(rate(r) for r in pg_creates)
    line(f"CreateUser on PostgreSQL: {', '.join(f'{rate(r):,.0f}' for r in pg_creates)}/s (SQLite in the same rounds {', '.join(f'{rate(r):,.0f}' for r in sqlite_creates)}/s; "
         f"p99 {max(r['latency_ms']['p99'] for r in pg_creates)} ms) target >= 8,000/s: {verdict(best >= 8000)}")
for label, what in [("bulk-create-raw-pg", "raw HTTP/2 client, one stream of 100,000"), ("bulk-create-pg", "tessera bench, streams of 10,000")]:
    for r in runs(label):
        line(f"BulkCreateUsers on PostgreSQL users/s ({what}): {rate(r, 'items_per_second'):,.0f} ({r['items']:,} users in {r['seconds']} s{', ERROR' if r.get('errors') else ''}) "
             f"target >= 100,000: {verdict(rate(r, 'items_per_second') >= 100_000)}")
for label, target in [("watch-replicas-pg", 50), ("watch-200-sqlite", None)]:
    for r in runs(label):
        x = r["extra"]
        ok = r["latency_ms"]["p99"] < (target or 0) and r["errors"] == 0 and x["changes_per_second"] >= 180
        where = "on PostgreSQL, written on another replica" if target else "on SQLite, one process (for comparison)"
        line(f"WatchUserChanges {where}: {x['watchers']:.0f} watchers at {x['changes_per_second']} changes/s: p50 {r['latency_ms']['p50']} p99 {r['latency_ms']['p99']} "
             f"max {r['latency_ms']['max']} ms, {r['requests']:,} deliveries, errors {r['errors']}" + (f" target p99 < {target} ms: {verdict(ok)}" if target else ""))

# The target is for the servers as a user starts them (open, auth); the logged server (--call-log all) is reported apart.
get_rss = [r["peak_rss_mb"] for r in rows if str(r.get("label", "")).startswith(("get-user", "h2load-get-user")) and "peak_rss_mb" in r and r.get("server") in ("open", "auth")]
logged_rss = [r["peak_rss_mb"] for r in rows if str(r.get("label", "")).startswith(("get-user", "h2load-get-user")) and "peak_rss_mb" in r and r.get("server") == "logged"]
if get_rss:
    line(f"Server peak RSS under GetUser load (default logging): {max(get_rss)} MB target <= 250 MB: {verdict(max(get_rss) <= 250)}"
         + (f"; with --call-log all: {max(logged_rss)} MB" if logged_rss else ""))

starts = [r for r in rows if r.get("scenario") == "startup"]
if starts:
    worst = max(r["ms_to_first_call"] for r in starts)
    line(f"Start to first served call: {', '.join(str(r['ms_to_first_call']) + ' ms (' + r['label'] + ')' for r in starts)} target < 1000 ms: {verdict(worst < 1000)}")

line("Peak server RSS per scenario (MB): " + ", ".join(f"{r['label']} {r['peak_rss_mb']}" for r in rows if "peak_rss_mb" in r))
