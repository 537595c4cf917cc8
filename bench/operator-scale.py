#!/usr/bin/env python3
"""Drives the operator scale benchmark (bench/operator-scale.sh starts the processes and calls this).

Watches GoModuleProxy and every kind the operator owns in one namespace, creates N GoModuleProxy resources with
concurrent POSTs, and measures the wall time from the first POST until every resource has all its children and
status.observedGeneration == metadata.generation. Reports CPU time of the API server and of the operator over that
interval (from /proc/PID/stat), the operator's peak RSS (VmHWM), and the operator's own /metrics.
Exit status: 0 when every resource converged before --timeout, 1 otherwise (a miss of a target is not a failure).
"""
import argparse
import concurrent.futures
import http.client
import json
import os
import re
import resource
import sys
import threading
import time
import urllib.parse

GROUP_PATH = "/apis/proxyoperator.io/v1alpha1"
CHILD_KINDS = {  # kind -> list path under a namespace
    "ConfigMap": "/api/v1/namespaces/{ns}/configmaps",
    "Service": "/api/v1/namespaces/{ns}/services",
    "PersistentVolumeClaim": "/api/v1/namespaces/{ns}/persistentvolumeclaims",
    "Deployment": "/apis/apps/v1/namespaces/{ns}/deployments",
    "StatefulSet": "/apis/apps/v1/namespaces/{ns}/statefulsets",
    "PodDisruptionBudget": "/apis/policy/v1/namespaces/{ns}/poddisruptionbudgets",
}
TICKS = os.sysconf("SC_CLK_TCK")


def expected_children(name, shape):
    """What the builders make of each shape (src/ProxyOperator.Operator/Builders)."""
    if shape == "deployment":  # replicas 2, Disk ReadWriteMany: one shared claim, a Deployment
        return {("ConfigMap", name + "-config"), ("Deployment", name), ("Service", name),
                ("PersistentVolumeClaim", name + "-cache"), ("PodDisruptionBudget", name)}
    # replicas 3, Disk ReadWriteOnce: a StatefulSet with a claim template, governed by a headless Service
    return {("ConfigMap", name + "-config"), ("StatefulSet", name), ("Service", name),
            ("Service", name + "-pods"), ("PodDisruptionBudget", name)}


def manifest(name, ns, shape):
    spec = {"replicas": 2, "storage": {"type": "Disk", "disk": {"size": "10Gi", "accessMode": "ReadWriteMany"}}}
    if shape == "statefulset":
        spec = {"replicas": 3, "storage": {"type": "Disk", "disk": {"size": "10Gi", "accessMode": "ReadWriteOnce"}}}
    return {"apiVersion": "proxyoperator.io/v1alpha1", "kind": "GoModuleProxy",
            "metadata": {"name": name, "namespace": ns}, "spec": spec}


class Api:
    def __init__(self, server):
        url = urllib.parse.urlsplit(server)
        self.host, self.port = url.hostname, url.port

    def connection(self, timeout=30):
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def request(self, method, path, body=None, conn=None):
        own = conn is None
        conn = conn or self.connection()
        try:
            data = None if body is None else json.dumps(body).encode()
            conn.request(method, path, body=data, headers={"Content-Type": "application/json", "Accept": "application/json"})
            resp = conn.getresponse()
            payload = resp.read()
            return resp.status, json.loads(payload) if payload else None
        finally:
            if own:
                conn.close()


class Tracker:
    """Which proxies are complete: all expected children seen and observedGeneration == generation."""

    def __init__(self, shapes):
        self.lock = threading.Lock()
        self.expected = {name: expected_children(name, shape) for name, shape in shapes.items()}
        self.children = {name: set() for name in shapes}  # proxy -> {(kind, name)} seen (owner from ownerReferences)
        self.observed = set()  # proxies whose status.observedGeneration == metadata.generation
        self.complete = set()
        self.first_child = {}
        self.done = threading.Event()

    def _recheck(self, proxy):
        if proxy not in self.expected:
            return
        ok = proxy in self.observed and self.expected[proxy] <= self.children[proxy]
        if ok:
            self.complete.add(proxy)
        else:
            self.complete.discard(proxy)
        if len(self.complete) == len(self.expected):
            self.done.set()

    def proxy_event(self, kind, obj):
        meta, status = obj["metadata"], obj.get("status") or {}
        name = meta["name"]
        with self.lock:
            if kind != "DELETED" and status.get("observedGeneration") == meta.get("generation"):
                self.observed.add(name)
            else:
                self.observed.discard(name)
            self._recheck(name)

    def child_event(self, event_type, kind, obj):
        meta = obj["metadata"]
        owners = [o["name"] for o in meta.get("ownerReferences") or [] if o.get("controller") and o.get("kind") == "GoModuleProxy"]
        with self.lock:
            for owner in owners:
                if owner not in self.children:
                    continue
                key = (kind, meta["name"])
                if event_type == "DELETED":
                    self.children[owner].discard(key)
                else:
                    self.children[owner].add(key)
                    self.first_child.setdefault(owner, time.monotonic())
                self._recheck(owner)

    def counts(self):
        with self.lock:
            with_children = sum(1 for p, e in self.expected.items() if e <= self.children[p])
            return len(self.complete), with_children, len(self.observed)


def watch_forever(api, path, on_event, on_reset, connected, stop):
    """List, then watch from the list's resourceVersion; again from a fresh list whenever the watch ends."""
    while not stop.is_set():
        try:
            status, body = api.request("GET", path)
            if status != 200:
                raise RuntimeError(f"list {path}: HTTP {status}")
            on_reset(body["items"])
            conn = api.connection(timeout=None)
            query = urllib.parse.urlencode({"watch": "true", "resourceVersion": body["metadata"]["resourceVersion"]})
            conn.request("GET", f"{path}?{query}", headers={"Accept": "application/json"})
            resp = conn.getresponse()
            if resp.status != 200:
                raise RuntimeError(f"watch {path}: HTTP {resp.status}")
            connected.set()
            while not stop.is_set():
                line = resp.readline()
                if not line:
                    break
                if line.strip():
                    event = json.loads(line)
                    if event["type"] in ("ADDED", "MODIFIED", "DELETED"):
                        on_event(event["type"], event["object"])
            conn.close()
        except (OSError, http.client.HTTPException, RuntimeError, ValueError) as error:
            if not stop.is_set():
                print(f"   watch {path} restarted: {error}", file=sys.stderr)
                time.sleep(0.2)


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def own_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def proc_status_kib(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def scrape(metrics_url):
    url = urllib.parse.urlsplit(metrics_url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=5)
    try:
        conn.request("GET", url.path)
        text = conn.getresponse().read().decode()
    finally:
        conn.close()
    values = {}
    for line in text.splitlines():
        m = re.match(r"^(proxy_operator_\w+)(\{[^}]*\})?\s+(\S+)$", line)
        if m:
            values[m.group(1) + (m.group(2) or "")] = float(m.group(3))
    return values


def metric_sum(values, name, label_filter=""):
    return sum(v for k, v in values.items() if (k == name or k.startswith(name + "{")) and label_filter in k)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--namespace", required=True)
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--statefulset-every", type=int, default=10, help="every Nth resource is the StatefulSet shape; 0: none")
    parser.add_argument("--create-concurrency", type=int, default=8)
    parser.add_argument("--operator-pid", type=int, required=True)
    parser.add_argument("--sandbox-pid", type=int, required=True)
    parser.add_argument("--metrics", required=True, help="the operator's /metrics URL")
    parser.add_argument("--timeout", type=float, default=150)
    parser.add_argument("--target-seconds", type=float, default=60)
    parser.add_argument("--target-rss-mb", type=float, default=250)
    args = parser.parse_args()

    api = Api(args.server)
    ns = args.namespace
    shapes = {}
    for i in range(args.count):
        shape = "statefulset" if args.statefulset_every and i % args.statefulset_every == args.statefulset_every - 1 else "deployment"
        shapes[f"proxy-{i:04d}"] = shape
    tracker = Tracker(shapes)

    stop = threading.Event()
    watchers = []

    def start_watch(path, on_event, on_reset):
        connected = threading.Event()
        t = threading.Thread(target=watch_forever, args=(api, path, on_event, on_reset, connected, stop), daemon=True)
        t.start()
        watchers.append(connected)

    start_watch(f"{GROUP_PATH}/namespaces/{ns}/gomoduleproxies",
                lambda t, o: tracker.proxy_event(t, o), lambda items: [tracker.proxy_event("ADDED", o) for o in items])
    for kind, path in CHILD_KINDS.items():
        start_watch(path.format(ns=ns), lambda t, o, k=kind: tracker.child_event(t, k, o),
                    lambda items, k=kind: [tracker.child_event("ADDED", k, o) for o in items])
    for connected in watchers:
        if not connected.wait(30):
            sys.exit("a watch did not start within 30 s")

    idle_rss = proc_status_kib(args.operator_pid, "VmRSS")
    cpu0 = {"operator": cpu_seconds(args.operator_pid), "sandbox": cpu_seconds(args.sandbox_pid), "driver": own_cpu_seconds()}
    before = scrape(args.metrics)
    local = threading.local()

    def create(name):
        if not hasattr(local, "conn"):
            local.conn = api.connection()
        status, body = api.request("POST", f"{GROUP_PATH}/namespaces/{ns}/gomoduleproxies", manifest(name, ns, shapes[name]), local.conn)
        if status != 201:
            raise RuntimeError(f"create {name}: HTTP {status} {body}")

    print(f"== creating {args.count} GoModuleProxy resources ({args.create_concurrency} concurrent POSTs)")
    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(args.create_concurrency) as pool:
        list(pool.map(create, shapes))
    created = time.monotonic() - start
    print(f"   created in {created:.1f} s")

    max_depth, next_report = 0.0, start + 5
    while not tracker.done.wait(0.5):
        now = time.monotonic()
        try:
            depth = metric_sum(scrape(args.metrics), "proxy_operator_workqueue_depth")
        except OSError:
            depth = float("nan")
        max_depth = max(max_depth, depth)
        if now >= next_report:
            done, with_children, observed = tracker.counts()
            print(f"   {now - start:5.1f} s: {done} complete, {with_children} with all children, {observed} observed; "
                  f"queue depth {depth:.0f}; operator RSS {proc_status_kib(args.operator_pid, 'VmRSS') // 1024} MiB")
            next_report = now + 5
        if now - start > args.timeout:
            break
    elapsed = time.monotonic() - start
    cpu1 = {"operator": cpu_seconds(args.operator_pid), "sandbox": cpu_seconds(args.sandbox_pid), "driver": own_cpu_seconds()}
    converged = tracker.done.is_set()
    after = scrape(args.metrics)
    hwm_converged = proc_status_kib(args.operator_pid, "VmHWM")

    # The children's watch events put every key back in the queue while it was reconciled: the operator is not idle
    # yet. Peak memory is read once the queue has drained (the periodic resync, 30 s after each reconcile, aside).
    drained = None
    while converged and time.monotonic() - start < args.timeout:
        values = scrape(args.metrics)
        depth = metric_sum(values, "proxy_operator_workqueue_depth")
        max_depth = max(max_depth, depth)
        if depth == 0:
            time.sleep(0.5)  # the last keys taken from the queue finish their reconcile
            drained = time.monotonic() - start
            break
        time.sleep(0.2)
    settled = scrape(args.metrics)
    hwm = proc_status_kib(args.operator_pid, "VmHWM")
    sandbox_hwm = proc_status_kib(args.sandbox_pid, "VmHWM")
    cpu2 = {"operator": cpu_seconds(args.operator_pid), "sandbox": cpu_seconds(args.sandbox_pid)}
    stop.set()

    # Check against fresh lists, not only the watch-fed tracker (untimed).
    missing = 0
    if converged:
        present = set()
        for kind, path in CHILD_KINDS.items():
            _, body = api.request("GET", path.format(ns=ns))
            present |= {(kind, o["metadata"]["name"]) for o in body["items"]}
        _, body = api.request("GET", f"{GROUP_PATH}/namespaces/{ns}/gomoduleproxies")
        proxies = {o["metadata"]["name"]: o for o in body["items"]}
        for name in shapes:
            p = proxies.get(name)
            if p is None or (p.get("status") or {}).get("observedGeneration") != p["metadata"]["generation"] or not tracker.expected[name] <= present:
                missing += 1
        converged = missing == 0

    def delta(name, label=""):
        return metric_sum(after, name, label) - metric_sum(before, name, label)

    total_reconciles = metric_sum(settled, "proxy_operator_reconcile_total") - metric_sum(before, "proxy_operator_reconcile_total")
    reconciles = delta("proxy_operator_reconcile_total")
    errors = delta("proxy_operator_reconcile_total", 'result="error"')
    duration_sum = delta("proxy_operator_reconcile_duration_seconds_sum")

    def quantile(q):  # upper bound of the histogram bucket holding the q-th reconcile
        buckets = sorted((float(re.search(r'le="([^"]+)"', k).group(1)), v - before.get(k, 0))
                         for k, v in after.items() if k.startswith("proxy_operator_reconcile_duration_seconds_bucket"))
        for le, count in buckets:
            if count >= q * reconciles:
                return f"{le * 1000:.0f}" if le != float("inf") else "inf"
        return "-"
    done, with_children, observed = tracker.counts()
    first_child = sorted(t - start for t in tracker.first_child.values())
    rows = [
        ("resources", f"{args.count} ({sum(1 for s in shapes.values() if s == 'deployment')} Deployment shape, "
                      f"{sum(1 for s in shapes.values() if s == 'statefulset')} StatefulSet shape)"),
        ("created (POSTs done)", f"{created:.1f} s"),
        ("first resource with a child", f"{first_child[0]:.1f} s" if first_child else "-"),
        ("all converged" if converged else "converged (timed out)",
         f"{elapsed:.1f} s" if converged else f"{done}/{args.count} after {elapsed:.1f} s"),
        ("queue drained", f"{drained:.1f} s ({total_reconciles:.0f} reconciles in all)" if drained else "-"),
        ("operator peak RSS (VmHWM)", f"{hwm / 1024:.0f} MiB = {hwm * 1024 / 1e6:.0f} MB at {'drain' if drained else 'the end'}, {hwm_converged / 1024:.0f} MiB at "
                                      f"convergence, {idle_rss / 1024:.0f} MiB RSS idle before the creates"),
        ("CPU until converged", f"operator {cpu1['operator'] - cpu0['operator']:.1f} s, "
                                f"API server {cpu1['sandbox'] - cpu0['sandbox']:.1f} s, this driver {cpu1['driver'] - cpu0['driver']:.1f} s "
                                f"(of {os.cpu_count() * elapsed:.1f} core-seconds)"),
        ("CPU until drained", f"operator {cpu2['operator'] - cpu0['operator']:.1f} s, API server {cpu2['sandbox'] - cpu0['sandbox']:.1f} s "
                              f"(API server peak RSS {sandbox_hwm / 1024:.0f} MiB)"),
        ("reconciles until converged", f"{reconciles:.0f} ({errors:.0f} errors, {delta('proxy_operator_reconcile_retries_total'):.0f} retries)"),
        ("reconcile duration", f"mean {1000 * duration_sum / reconciles if reconciles else 0:.0f} ms, "
                               f"p50 <= {quantile(0.5)} ms, p99 <= {quantile(0.99)} ms (histogram bucket bounds)"),
        ("work queue depth", f"max {max_depth:.0f} (sampled every 0.5 s)"),
        ("watch restarts / relists", f"{delta('proxy_operator_watch_restarts_total'):.0f} / {delta('proxy_operator_relists_total'):.0f}"),
    ]
    print()
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"  {k:<{width}}  {v}")
    print()
    if converged:
        print(f"  time   {elapsed:6.1f} s   target < {args.target_seconds:.0f} s    {'PASS' if elapsed < args.target_seconds else 'MISS'}")
        print(f"  memory {hwm * 1024 / 1e6:6.0f} MB  target < {args.target_rss_mb:.0f} MB   {'PASS' if hwm * 1024 < args.target_rss_mb * 1e6 else 'MISS'}")
        return 0
    print(f"  FAILED: {args.count - done} of {args.count} resources incomplete after {elapsed:.1f} s"
          + (f" ({missing} per fresh lists)" if missing else ""), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
