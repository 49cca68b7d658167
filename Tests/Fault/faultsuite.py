#!/usr/bin/env python3
"""RecServe's fault suite (`make fault-test`): each case starts its own stack (deploy/serve.sh:
nginx + the rec-fcgi pool) on a free port in 5700-5799 with its own data folder, measures the
normal traffic's p99 without the fault, then injects the fault under the same load and checks:

- 0 failed idempotent requests (GET /api/similar, GET /api/health, and a fresh-connection probe);
- at most 1 failed POST /api/predict for each worker the case kills on purpose;
- no worker death (by signal, or by the request deadline) that the case did not cause on purpose,
  and no wrong answer (200 with empty or non-numeric lists); while the served file is damaged on
  purpose a 503 invalid_model is the promised answer and is not counted as a failure;
- normal traffic's p99 during the fault at most 3x its value without it.

Only the standard library. Run through Tests/Fault/fault-suite.sh (which installs wrk and builds).
usage: faultsuite.py [--cases a,b,...] [--list]
"""

import argparse
import errno
import fcntl
import http.client
import json
import os
import random
import re
import resource
import selectors
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.path.join(ROOT, ".build", "release")
LOAD_LUA = os.path.join(HERE, "load.lua")
PORTS = range(5700, 5800)
P99_RATIO_LIMIT = 3.0
# The p99 ratio is a speed figure on a shared, noisy machine: it is always measured and
# reported against its target, but it fails a case only with FAULT_ENFORCE_P99=1 (the
# documented runs of docs/reliability.md); CI enforces the functional targets.
ENFORCE_P99 = os.environ.get("FAULT_ENFORCE_P99", "0") == "1"
# Below 1 ms a p99 on a shared 2-core machine is scheduler noise (one time slice), so the ratio's
# denominator is at least this. Every defect this suite finds costs far more than that.
P99_FLOOR_US = 1000
BASELINE_SECONDS = float(os.environ.get("FAULT_BASELINE_SECONDS", "5"))
WORKERS = 2
REQUEST_TIMEOUT_SECONDS = 10  # REC_REQUEST_TIMEOUT_SECONDS's default, which the stacks use
# Normal traffic: many connections, each pausing before every request, so the load is a steady
# rate well below the pool's capacity (about 800 GET/s and 400 POST/s). With wrk's
# coordinated-omission correction, one request stuck on one of 200 connections stays under
# 1% of the samples, while a stall of the whole pool shows in p99.
GET_CONNECTIONS, GET_PAUSE_MS = 200, 250
POST_CONNECTIONS, POST_PAUSE_MS = 200, 500

LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (trace|debug|info|notice|warning|error|critical) "
                      r"[A-Za-z0-9_.-]+\[\d+\] \S")
LOG_START = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (trace|debug|info|notice|warning|error|critical) ")
SECRET_FILE = "/etc/shadow"


def log(message):
    print(f"fault: {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# The model file (docs/model-file-format.md)

class ModelFile:
    """Section offsets of a model file, read from its header and section table."""

    def __init__(self, path):
        with open(path, "rb") as handle:
            header = handle.read(128)
            assert header[:8] == b"RECMODEL", f"{path} is not a model file"
            (self.size,) = struct.unpack_from("<Q", header, 16)
            count, table = struct.unpack_from("<II", header, 36)
            self.items, self.users, self.factors, self.stride, self.neighbours = struct.unpack_from("<5I", header, 48)
            handle.seek(table)
            raw = handle.read(32 * count)
            self.sections = {}
            for index in range(count):
                kind, element, offset, length = struct.unpack_from("<IIQQ", raw, 32 * index)
                self.sections[kind] = (offset, length)
            offset, length = self.sections[1]
            handle.seek(offset)
            self.movie_ids = list(struct.unpack(f"<{length // 4}i", handle.read(length)))

    def item(self, movie_id):
        return self.movie_ids.index(movie_id)

    MOVIE_IDS, ITEM_FACTORS, TITLE_OFFSETS, NEIGHBOUR_ITEMS, NEIGHBOUR_SIMILARITIES = 1, 4, 6, 10, 11


def overwrite(path, offset, data):
    """pwrite in place: the workers' shared mapping sees it at once."""
    descriptor = os.open(path, os.O_WRONLY)
    try:
        os.pwrite(descriptor, data, offset)
    finally:
        os.close(descriptor)


def replace_atomically(path, source=None, text=None):
    """Writes a copy of `source` (or `text`) next to `path` and renames it over `path`."""
    temporary = path + ".fault-tmp"
    if source is not None:
        shutil.copyfile(source, temporary)
    else:
        with open(temporary, "w") as handle:
            handle.write(text)
    os.rename(temporary, path)


# ---------------------------------------------------------------------------------------------
# HTTP helpers

def http_request(port, method, path, body=None, timeout=10.0, source=None):
    """One request on a fresh connection: (status, body text, seconds); status 0 on a socket error."""
    start = time.monotonic()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout,
                                                source_address=(source, 0) if source else None)
        headers = {"Content-Type": "application/json"} if body is not None else {}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        connection.close()
        return response.status, text, time.monotonic() - start
    except (OSError, http.client.HTTPException) as error:
        return 0, f"{type(error).__name__}: {error}", time.monotonic() - start


PREDICT_BODY = '[["Toy Story (1995)","Heat (1995)","Lord of the Rings","Star Wars: Episode IV - A New Hope","Fargo (1996)"],[5,4,5,4,3]]'


def answer_is_wrong(text):
    return text.startswith("[[]") or re.search(r"[\[,](-?nan|null|-?inf)", text.lower()) is not None


def service_answers_correctly(port):
    """Predict, similar and health each answer 200 with a non-empty, numeric answer."""
    checks = [("POST", "/api/predict", PREDICT_BODY), ("GET", "/api/similar?movie_name=Toy%20Story&n=5", None),
              ("GET", "/api/health", None)]
    for method, path, body in checks:
        status, text, _ = http_request(port, method, path, body, timeout=5)
        if status != 200 or answer_is_wrong(text):
            return False, f"{method} {path} -> {status} {text[:100]}"
    return True, ""


def wait_until(predicate, seconds, interval=0.1):
    deadline = time.monotonic() + seconds
    while True:
        result = predicate()
        if result or time.monotonic() >= deadline:
            return result
        time.sleep(interval)


# ---------------------------------------------------------------------------------------------
# The stack

def free_port():
    ports = list(PORTS)
    random.shuffle(ports)
    for port in ports:
        with socket.socket() as probe:
            try:
                probe.bind(("0.0.0.0", port))
                return port
            except OSError:
                continue
    raise RuntimeError("no free port in 5700-5799")


class Stack:
    """deploy/serve.sh on a free port, serving `data_dir`."""

    def __init__(self, data_dir, environment=None):
        self.data_dir = data_dir
        self.port = free_port()
        env = dict(os.environ)
        env.update(REC_DATA_DIR=data_dir, REC_PORT=str(self.port), REC_WORKERS=str(WORKERS), REC_SKIP_INSTALL="1",
                   REC_SKIP_BUILD="1", REC_SKIP_TRAIN="1", REC_LOG_LEVEL="info",
                   # The normal load's 400 connections all come from 127.0.0.1, standing in for
                   # many users: that one address may hold 1,024. Attackers connect from
                   # 127.0.0.2 and up, and still meet a limit far below their thousands.
                   REC_CONNECTIONS_PER_CLIENT="1024")
        env.pop("REC_ADMIN_TOKEN", None)
        env.update(environment or {})
        self.output_path = os.path.join(os.path.dirname(data_dir), os.path.basename(data_dir) + "-serve.out")
        self.output = open(self.output_path, "w")
        self.process = subprocess.Popen(["bash", os.path.join(ROOT, "deploy", "serve.sh")], cwd=ROOT, env=env,
                                        stdout=self.output, stderr=subprocess.STDOUT, start_new_session=True)
        RUNNING.append(self)
        healthy = wait_until(lambda: self.process.poll() is not None or
                             http_request(self.port, "GET", "/api/health", timeout=2)[0] == 200, 40)
        if not healthy or self.process.poll() is not None:
            self.stop()
            raise RuntimeError(f"the stack did not start (see {self.output_path})")
        wait_until(lambda: len(self.worker_pids()) == WORKERS, 10)
        self.master = self.master_pid()

    def master_pid(self):
        try:
            with open(os.path.join(self.data_dir, "run", "rec-fcgi.pid")) as handle:
                return int(handle.read().strip())
        except (OSError, ValueError):
            return None

    def worker_pids(self):
        master = self.master_pid()
        if master is None:
            return []
        try:
            with open(f"/proc/{master}/task/{master}/children") as handle:
                return [int(pid) for pid in handle.read().split()]
        except OSError:
            return []

    @property
    def socket_path(self):
        return os.path.join(self.data_dir, "run", "rec-fcgi.sock")

    @property
    def log_path(self):
        return os.path.join(self.data_dir, "log_file.log")

    def log_size(self):
        try:
            return os.path.getsize(self.log_path)
        except OSError:
            return 0

    def log_since(self, offset):
        try:
            with open(self.log_path, "rb") as handle:
                handle.seek(offset)
                return handle.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def stop(self):
        if self in RUNNING:
            RUNNING.remove(self)
        pids = [self.master_pid()] + self.worker_pids()
        nginx = None
        try:
            with open(os.path.join(self.data_dir, "run", "nginx", "nginx.pid")) as handle:
                nginx = int(handle.read().strip())
        except (OSError, ValueError):
            pass
        status = None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                status = self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                status = self.process.wait()
        else:
            status = self.process.returncode
        # Whatever serve.sh could not stop: nginx (and its workers) gently first, then the rest.
        leftovers = [pid for pid in pids if pid] + ([nginx] + children(nginx) if nginx else [])
        alive = [pid for pid in leftovers if process_alive(pid)]
        for pid in alive:
            try:
                os.kill(pid, signal.SIGCONT)
                os.kill(pid, signal.SIGTERM)
            except OSError:
                pass
        if alive:
            wait_until(lambda: not any(process_alive(pid) for pid in alive), 3)
        for pid in alive:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        self.output.close()
        return status


RUNNING = []


def children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as handle:
            return [int(child) for child in handle.read().split()]
    except OSError:
        return []


def process_alive(pid):
    """Alive and not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


# ---------------------------------------------------------------------------------------------
# Load: two wrk processes (idempotent GETs, POST predicts) and a fresh-connection probe

class Load:
    def __init__(self, port, probe=True):
        self.port = port
        self.processes = {}
        for mode, connections, pause in (("get", GET_CONNECTIONS, GET_PAUSE_MS), ("post", POST_CONNECTIONS, POST_PAUSE_MS)):
            self.processes[mode] = subprocess.Popen(
                ["wrk", "-t2", f"-c{connections}", "-d600s", "--timeout", "30s", "-s", LOAD_LUA,
                 f"http://127.0.0.1:{port}", "--", mode, str(pause)],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.probe_sent = self.probe_failed = 0
        self.probe_samples = []
        self.probe_slowest = 0.0
        self.stopping = threading.Event()
        self.probe_thread = threading.Thread(target=self._probe, daemon=True) if probe else None
        if self.probe_thread:
            self.probe_thread.start()

    def _probe(self):
        while not self.stopping.wait(0.25):
            status, text, seconds = http_request(self.port, "GET", "/api/health", timeout=20)
            self.probe_sent += 1
            self.probe_slowest = max(self.probe_slowest, seconds)
            allowed = status == 200 or (status == 503 and '"unavailable"' in text)
            if not allowed:
                self.probe_failed += 1
                if len(self.probe_samples) < 3:
                    self.probe_samples.append(f"{status} {text[:80]}")

    def stop(self):
        """Stops wrk (SIGINT makes it print its summary) and returns {"get": result, "post": result}."""
        self.stopping.set()
        results = {}
        for mode, process in self.processes.items():
            process.send_signal(signal.SIGINT)
        for mode, process in self.processes.items():
            try:
                output, _ = process.communicate(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()
                output, _ = process.communicate()
            match = re.search(r"^FAULT-RESULT (\{.*\})$", output, re.M)
            if not match:
                raise RuntimeError(f"wrk {mode} printed no result:\n{output}")
            results[mode] = json.loads(match.group(1))
        if self.probe_thread:
            self.probe_thread.join(10)
        results["probe"] = {"sent": self.probe_sent, "failed": self.probe_failed, "samples": self.probe_samples,
                            "slowest": self.probe_slowest}
        return results


def tally(result, allow_unavailable):
    sockets = result["connect"] + result["read"] + result["write"] + result["timeout"]
    sent = result["completed"] + result["connect"] + result["read"] + result["write"]
    failed = result["other_errors"] + result["wrong"] + sockets + (0 if allow_unavailable else result["unavailable"])
    return sent, failed


# ---------------------------------------------------------------------------------------------
# Worker deaths: the master's log lines, and worker pids that disappear

class DeathWatch:
    def __init__(self, stack):
        self.stack = stack
        self.offset = stack.log_size()
        self.seen = set(stack.worker_pids())
        self.gone = set()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._poll, daemon=True)
        self.thread.start()

    def _poll(self):
        while not self.stopping.wait(0.05):
            current = set(self.stack.worker_pids())
            if current:
                self.gone |= self.seen - current
                self.seen |= current

    def stop(self, expected=()):
        """Returns (unexpected death count, descriptions)."""
        self.stopping.set()
        self.thread.join(2)
        text = self.stack.log_since(self.offset)
        logged = {}
        for line in text.splitlines():
            if "master: worker died unexpectedly" in line or "master: worker exceeded the request deadline" in line:
                pid = re.search(r"\bpid=(\d+)", line)
                how = re.search(r'how="([^"]*)"', line)
                if pid:
                    logged[int(pid.group(1))] = how.group(1) if how else "?"
        unexpected = {pid: how for pid, how in logged.items() if pid not in expected}
        # A pid that vanished without a log line (the log may be on a full disk) is a death too.
        for pid in self.gone - set(logged) - set(expected):
            unexpected[pid] = "vanished"
        descriptions = [f"pid {pid}: {how}" for pid, how in sorted(unexpected.items())]
        return len(unexpected), descriptions, logged


# ---------------------------------------------------------------------------------------------
# Cases

class Case:
    """What one case measured and checked."""

    def __init__(self, name, description):
        self.name, self.description = name, description
        self.sent_get = self.failed_get = self.sent_post = self.failed_post = 0
        self.base = self.during = None
        self.crashes = 0
        self.allowed_post_failures = 0
        self.allow_unavailable = False
        self.checks = []  # (ok, text)
        self.notes = []
        self.error = None

    def check(self, ok, text):
        self.checks.append((bool(ok), text))
        return ok

    @property
    def ratio(self):
        if not self.base or not self.during:
            return None
        return max(self.during[mode] / max(self.base[mode], P99_FLOOR_US) for mode in ("get", "post"))

    @property
    def passed(self):
        return (self.error is None and all(ok for ok, _ in self.checks) and self.failed_get == 0
                and self.failed_post <= self.allowed_post_failures and self.crashes == 0
                and self.ratio is not None and (self.ratio <= P99_RATIO_LIMIT or not ENFORCE_P99))


class Context:
    """Everything a case's attack needs."""

    def __init__(self, case, stack, model_dir):
        self.case, self.stack, self.model_dir = case, stack, model_dir
        self.port = stack.port
        self.expected_deaths = set()
        current = open(os.path.join(model_dir, "CURRENT")).read().strip()
        self.served_path = os.path.join(model_dir, f"model-{current}.recmodel")
        self.pristine = PRISTINE_MODEL
        self.model = ModelFile(self.served_path)

    def reload(self, timeout=20):
        return http_request(self.port, "POST", "/api/reload", timeout=timeout)


def run_case(name, function, description, run_dir, source_model_dir, tmpfs_megabytes=None, generations=(1, 2),
             prepare=None):
    case = Case(name, description)
    data_dir = os.path.join(run_dir, name)
    os.makedirs(data_dir)
    mounted = False
    stack = None
    try:
        if tmpfs_megabytes:
            result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={tmpfs_megabytes}m,mode=0755", "fault-tmpfs",
                                     data_dir], capture_output=True, text=True)
            if result.returncode != 0:
                raise RuntimeError(f"cannot mount a tmpfs (root needed): {result.stderr.strip()}")
            mounted = True
            MOUNTS.append(data_dir)
        model_dir = os.path.join(data_dir, "model")
        os.makedirs(model_dir)
        for generation in generations:
            shutil.copyfile(os.path.join(source_model_dir, "model-1.recmodel"),
                            os.path.join(model_dir, f"model-{generation}.recmodel"))
        with open(os.path.join(model_dir, "CURRENT"), "w") as handle:
            handle.write(f"{generations[-1]}\n")
        stack = Stack(data_dir)
        for _ in range(20):  # warm both workers
            http_request(stack.port, "POST", "/api/predict", PREDICT_BODY)
        context = Context(case, stack, model_dir)
        if prepare:  # what runs during both measurements, so that only the fault differs
            prepare(context)

        load = Load(stack.port)
        time.sleep(BASELINE_SECONDS)
        baseline = load.stop()
        case.base = {mode: baseline[mode]["p99_us"] for mode in ("get", "post")}

        watch = DeathWatch(stack)
        load = Load(stack.port)
        time.sleep(1)
        try:
            after = function(context)
        finally:
            during = load.stop()
        case.during = {mode: during[mode]["p99_us"] for mode in ("get", "post")}
        case.max_during = {mode: during[mode]["max_us"] for mode in ("get", "post")}
        case.crashes, descriptions, logged = watch.stop(context.expected_deaths)
        if descriptions:
            case.notes.append("unexpected worker deaths: " + ", ".join(descriptions))
        case.sent_get, case.failed_get = tally(during["get"], case.allow_unavailable)
        case.sent_post, case.failed_post = tally(during["post"], case.allow_unavailable)
        case.sent_get += during["probe"]["sent"]
        case.failed_get += during["probe"]["failed"]
        for mode in ("get", "post"):
            r = during[mode]
            extra = []
            if r["wrong"]:
                extra.append(f"{r['wrong']} wrong 200 answers")
            if r["unavailable"]:
                extra.append(f"{r['unavailable']} 503 invalid_model/no_model"
                             + ("" if case.allow_unavailable else " (counted as failures)"))
            if r["other_errors"] or r["connect"] or r["read"] or r["write"] or r["timeout"]:
                extra.append(f"{r['other_errors']} error statuses, socket errors connect/read/write/timeout "
                             f"{r['connect']}/{r['read']}/{r['write']}/{r['timeout']}")
            if r["sample"] and (r["wrong"] or r["other_errors"]):
                extra.append(f"e.g. {r['sample'][:100]}")
            if extra:
                case.notes.append(f"{mode.upper()}: " + "; ".join(extra))
        if during["probe"]["slowest"] > 1:
            case.notes.append(f"fresh-connection probe: slowest answer {during['probe']['slowest']:.1f} s")
        if during["probe"]["failed"]:
            case.notes.append(f"fresh-connection probe: {during['probe']['failed']}/{during['probe']['sent']} failed, "
                              f"e.g. {during['probe']['samples'][0]}")
        if after:
            after(context)
        case.check(stack.process.poll() is None, "the stack is still running")
        case.check(len(stack.worker_pids()) == WORKERS or
                   wait_until(lambda: len(stack.worker_pids()) == WORKERS, 35), f"{WORKERS} workers at the end")
    except Exception as error:  # a broken case is a failed case, and the suite goes on
        case.error = f"{type(error).__name__}: {error}"
    finally:
        if stack:
            stack.stop()
            keep = os.path.join(run_dir, "logs")
            os.makedirs(keep, exist_ok=True)
            for source, target in ((stack.log_path, f"{name}.log"), (stack.output_path, f"{name}-serve.out"),
                                   (os.path.join(data_dir, "run", "nginx", "error.log"), f"{name}-nginx-error.log")):
                try:
                    shutil.copyfile(source, os.path.join(keep, target))
                except OSError:
                    pass
        if mounted:
            unmount(data_dir)
        shutil.rmtree(data_dir, ignore_errors=True)
    return case


MOUNTS = []


def unmount(path):
    for _ in range(20):
        if subprocess.run(["umount", path], capture_output=True).returncode == 0:
            break
        time.sleep(0.5)
    else:
        subprocess.run(["umount", "-l", path], capture_output=True)
    if path in MOUNTS:
        MOUNTS.remove(path)


# --- kill -9 ----------------------------------------------------------------------------------

def case_kill9(ctx):
    victim = ctx.stack.worker_pids()[0]
    ctx.expected_deaths.add(victim)
    ctx.case.allowed_post_failures = 1
    os.kill(victim, signal.SIGKILL)
    replaced = wait_until(lambda: victim not in ctx.stack.worker_pids() and len(ctx.stack.worker_pids()) == WORKERS, 5)
    ctx.case.check(replaced, "the killed worker is replaced within 5 s")
    time.sleep(4)


# --- SIGSTOP past the request deadline -------------------------------------------------------

def holds_connection(pid):
    """Whether worker `pid` holds an accepted connection (a socket other than its listener, fd 0)."""
    try:
        listener = os.readlink(f"/proc/{pid}/fd/0")
        for fd in os.listdir(f"/proc/{pid}/fd"):
            if fd != "0" and os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:") and \
                    os.readlink(f"/proc/{pid}/fd/{fd}") != listener:
                return True
    except OSError:
        pass
    return False


STOPPED_SECONDS = REQUEST_TIMEOUT_SECONDS + 4  # under nginx's fastcgi_read_timeout (15 s)


def case_sigstop(ctx):
    ctx.case.allowed_post_failures = 1
    victim, busy = None, False
    for _ in range(200):  # stop a worker in the middle of a request
        victim = ctx.stack.worker_pids()[0]
        os.kill(victim, signal.SIGSTOP)
        time.sleep(0.01)
        if holds_connection(victim):
            busy = True
            break
        os.kill(victim, signal.SIGCONT)
        time.sleep(0.02)
    ctx.expected_deaths.add(victim)
    ctx.case.notes.append(f"stopped worker {victim} " + ("in the middle of a request" if busy else "(idle: no request caught)"))
    # The README's promise: a stuck worker is ended by the request deadline and replaced. A
    # stopped worker cannot run its own watchdog, so the pool must notice it.
    time.sleep(REQUEST_TIMEOUT_SECONDS + 2.5)
    replaced = victim not in ctx.stack.worker_pids() and len(ctx.stack.worker_pids()) == WORKERS
    ctx.case.check(replaced, f"the stopped worker is ended and replaced within the request deadline "
                             f"({REQUEST_TIMEOUT_SECONDS} s) + 2.5 s")
    time.sleep(STOPPED_SECONDS - REQUEST_TIMEOUT_SECONDS - 2.5)
    try:
        os.kill(victim, signal.SIGCONT)
    except ProcessLookupError:
        pass  # the master already killed it, as promised
    ok = wait_until(lambda: victim not in ctx.stack.worker_pids() or not holds_connection(victim), 5)
    ctx.case.check(ok, "after SIGCONT the worker ends the overdue request (deadline) within 5 s")
    time.sleep(3)


# --- 20 reloads --------------------------------------------------------------------------------

def set_current(model_dir, generation):
    with open(os.path.join(model_dir, ".lock"), "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        replace_atomically(os.path.join(model_dir, "CURRENT"), text=f"{generation}\n")


def health_generations(port, times=30):
    generations = set()
    for _ in range(times):
        status, text, _ = http_request(port, "GET", "/api/health", timeout=5)
        try:
            generations.add(json.loads(text).get("generation"))
        except ValueError:
            generations.add(f"status {status}")
    return generations


def case_reloads(ctx):
    generation, bad = 2, []
    for index in range(20):
        generation = 1 if generation == 2 else 2
        set_current(ctx.model_dir, generation)
        status, text, seconds = ctx.reload()
        try:
            answered = json.loads(text).get("generation")
        except ValueError:
            answered = None
        if status != 200 or answered != generation:
            bad.append(f"reload {index + 1}: {status} {text[:80]}")
        time.sleep(0.6)  # nginx allows 2 reloads/s per client (burst 5)
    ctx.case.check(not bad, "20 reloads answer 200 with the new generation" + (f" ({'; '.join(bad[:3])})" if bad else ""))
    seen = health_generations(ctx.port)
    ctx.case.check(seen == {generation}, f"every worker serves generation {generation} afterwards (saw {sorted(map(str, seen))})")


# --- the served file changed in place ----------------------------------------------------------

def restore_and_check(ctx, what):
    """Puts a good copy of the file in place (same generation), reloads, and checks that the
    service answers correctly again."""
    def after(ctx):
        replace_atomically(ctx.served_path, source=ctx.pristine)
        status, text, _ = ctx.reload()
        ctx.case.check(status == 200, f"after {what}, a good copy and /api/reload: reload answers 200 (got {status} {text[:80]})")
        outcome = {}

        def correct():
            outcome["last"] = service_answers_correctly(ctx.port)
            return all(service_answers_correctly(ctx.port)[0] for _ in range(6)) if outcome["last"][0] else False
        ok = wait_until(correct, 10, 0.5)
        ctx.case.check(ok, "then the service answers correctly again (every worker remapped)"
                       + ("" if ok else f": {outcome['last'][1]}"))
    return after


def damaged_traffic(ctx, seconds=5):
    """Requests that read the damaged parts, next to the load; returns a summary of the statuses."""
    statuses = {}
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for method, path, body in (("POST", "/api/predict", PREDICT_BODY),
                                   ("GET", "/api/similar?movie_name=Toy%20Story&n=5", None),
                                   ("GET", "/api/recommend?user_id=1&top=5", None)):
            status, text, _ = http_request(ctx.port, method, path, body, timeout=15)
            key = f"{path.split('?')[0]} {status}" + (" wrong" if status == 200 and answer_is_wrong(text) else "")
            if status == 503:
                key += " " + error_code(text)
            statuses[key] = statuses.get(key, 0) + 1
        time.sleep(0.05)
    return statuses


def error_code(text):
    """The API error's code, "unavailable" for /api/health's 503 shape, else "other"."""
    try:
        value = json.loads(text)
    except ValueError:
        return "other"
    if isinstance(value, dict) and isinstance(value.get("error"), dict):
        return str(value["error"].get("code"))
    if isinstance(value, dict) and value.get("status") == "unavailable":
        return "unavailable"
    return "other"


UNAVAILABLE_CODES = ("invalid_model", "no_model", "unavailable")


def report_damaged(ctx, statuses):
    wrong = sum(count for key, count in statuses.items() if key.endswith("wrong"))
    other = sum(count for key, count in statuses.items()
                if not (key.endswith(" 200") or key.endswith("wrong") or key.split()[-1] in UNAVAILABLE_CODES))
    ctx.case.notes.append("answers while damaged: " + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())))
    ctx.case.check(wrong == 0, "no wrong 200 answer (empty or NaN lists) while the file is damaged")
    ctx.case.check(other == 0, "while damaged, every answer is a correct 200 or a 503 invalid_model (or no_model)")


def damaged_file_case(ctx, what, damage):
    """The shape of every damaged-file case: `damage()` changes the served file in place and
    returns its notes; traffic then runs against the damaged file, and the repair is checked."""
    ctx.case.allow_unavailable = True
    ctx.case.notes.extend(damage())
    report_damaged(ctx, damaged_traffic(ctx))
    return restore_and_check(ctx, what)


def case_truncate(ctx):
    def damage():
        size = ctx.model.sections[ModelFile.NEIGHBOUR_SIMILARITIES][0]
        os.truncate(ctx.served_path, size)
        return [f"truncated {ctx.model.size} -> {size} bytes (at the neighbour similarities)"]
    return damaged_file_case(ctx, "truncation", damage)


def overwrite_case(ctx, what, places):
    """A damaged-file case that writes 0x7fffffff (a NaN as a float) 100 times at each
    (offset, description) of `places`."""
    def damage():
        for offset, _ in places:
            overwrite(ctx.served_path, offset, b"\xff\xff\xff\x7f" * 100)
        return [f"wrote 0x7fffffff x100 at {offset} ({description})" for offset, description in places]
    return damaged_file_case(ctx, what, damage)


def case_flip_neighbours(ctx):
    offset = ctx.model.sections[ModelFile.NEIGHBOUR_ITEMS][0] + ctx.model.item(1) * ctx.model.neighbours * 4
    return overwrite_case(ctx, "the neighbour flip", [(offset, "Toy Story's neighbour items")])


def case_flip_nan(ctx):
    offset = ctx.model.sections[ModelFile.ITEM_FACTORS][0] + ctx.model.item(1) * ctx.model.stride * 4
    return overwrite_case(ctx, "the NaN factors", [(offset, "NaN over the item factors from Toy Story's row")])


def case_flip_titles(ctx):
    """Beyond the reported defects: huge title offsets and title-key entries."""
    return overwrite_case(ctx, "the title flips", [(ctx.model.sections[kind][0] + 4, f"section kind {kind}")
                                                   for kind in (ModelFile.TITLE_OFFSETS, 8)])


# --- CURRENT as a symlink and as a FIFO --------------------------------------------------------

def secret_leaked(text):
    try:
        lines = [line for line in open(SECRET_FILE).read().splitlines() if line]
    except OSError:
        return False
    return any(line[:12] in text for line in lines if len(line) >= 6) or "root:" in text


def case_symlink_current(ctx):
    current = os.path.join(ctx.model_dir, "CURRENT")
    os.symlink(SECRET_FILE, current + ".fault-link")
    os.rename(current + ".fault-link", current)
    status, text, seconds = ctx.reload()
    ctx.case.notes.append(f"reload with CURRENT -> {SECRET_FILE}: {status} {text[:120]}")
    ctx.case.check(400 <= status < 600 and status not in (502, 504) and '"error"' in text,
                   "the reload is refused with the API's JSON error")
    ctx.case.check(not secret_leaked(text), f"the refusal does not echo {SECRET_FILE}'s bytes")
    offset = ctx.stack.log_size()
    os.kill(ctx.stack.master, signal.SIGHUP)
    time.sleep(1)
    ctx.case.check(not secret_leaked(ctx.stack.log_since(offset)), f"SIGHUP's reload logs none of {SECRET_FILE}'s bytes")
    status, text, _ = http_request(ctx.port, "GET", "/api/log/download", timeout=20)
    ctx.case.check(status == 200 and not secret_leaked(text), f"GET /api/log/download serves none of {SECRET_FILE}'s bytes")
    ctx.case.check(health_generations(ctx.port, 10) == {2}, "generation 2 stays served")
    replace_atomically(current, text="2\n")
    status, text, _ = ctx.reload()
    ctx.case.check(status == 200, f"a reload after CURRENT is fixed answers 200 (got {status})")


def master_blocked(pid):
    try:
        with open(f"/proc/{pid}/wchan") as handle:
            wchan = handle.read()
        with open(f"/proc/{pid}/syscall") as handle:
            syscall = handle.read().split()[0]
    except OSError:
        return False, "?"
    # 257 is openat on x86-64: a master blocked opening the FIFO.
    return ("fifo" in wchan or "pipe" in wchan or syscall in ("257", "56")), wchan


def case_fifo_current(ctx):
    current = os.path.join(ctx.model_dir, "CURRENT")
    os.mkfifo(current + ".fault-fifo")
    os.rename(current + ".fault-fifo", current)
    status, text, seconds = ctx.reload(timeout=20)
    ctx.case.notes.append(f"reload with a FIFO CURRENT: {status} after {seconds:.1f} s: {text[:100]}")
    ctx.case.check(seconds < 2 and 400 <= status < 600 and status not in (502, 504) and '"error"' in text,
                   "the reload is refused at once (under 2 s) with the API's JSON error")
    os.kill(ctx.stack.master, signal.SIGHUP)
    time.sleep(1.5)
    blocked, wchan = master_blocked(ctx.stack.master)
    ctx.case.check(not blocked, f"the master is not blocked on the FIFO after SIGHUP (wchan {wchan})")
    # Release anyone blocked opening the FIFO for reading, then put a real CURRENT back.
    try:
        descriptor = os.open(current, os.O_WRONLY | os.O_NONBLOCK)
        os.close(descriptor)
    except OSError:
        pass
    replace_atomically(current, text="2\n")
    status, text, _ = ctx.reload()
    ctx.case.check(status == 200, f"a reload after CURRENT is fixed answers 200 (got {status})")
    time.sleep(1)


# --- full disk ---------------------------------------------------------------------------------

def fill(directory):
    """Fills the file system of `directory`; returns the filler paths."""
    paths = []
    for index, block in enumerate((1 << 20, 1 << 16, 4096, 512)):
        path = os.path.join(directory, f"fault-filler-{index}")
        paths.append(path)
        chunk = b"\0" * block
        with open(path, "wb", buffering=0) as handle:
            try:
                while True:
                    handle.write(chunk)
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise
    return paths


def check_log_lines(ctx, path):
    with open(path, "rb") as handle:
        data = handle.read()
    text = data.decode("utf-8", "replace")
    lines = text.split("\n")
    tail = lines.pop()  # after the last newline: must be empty
    torn = [line for line in lines if not LOG_LINE.match(line)]
    glued = [line for line in lines if len(LOG_START.findall(line)) > 1]
    problems = len(torn) + len(glued) + (1 if tail else 0)
    example = (torn + glued + ([tail] if tail else []))[:1]
    ctx.case.check(problems == 0, f"log_file.log has no torn or glued lines ({len(lines)} lines"
                   + (f"; {len(torn)} torn, {len(glued)} glued, unterminated end {bool(tail)}; e.g. {example[0][:140]!r}" if problems else "") + ")")
    return lines


def case_disk_full_log(ctx):
    fillers = fill(ctx.stack.data_dir)
    ctx.case.notes.append(f"disk full for {6} s under load")
    time.sleep(6)
    ok, why = service_answers_correctly(ctx.port)
    ctx.case.check(ok, "the API answers correctly while the log's disk is full" + ("" if ok else f": {why}"))
    for path in fillers:
        os.remove(path)
    freed = time.time()
    time.sleep(3)

    def after(ctx):
        for _ in range(20):
            http_request(ctx.port, "GET", "/api/health")
        time.sleep(1.5)  # a busy worker batches info lines
        lines = check_log_lines(ctx, ctx.stack.log_path)
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(freed + 1))
        ctx.case.check(any(line[:19] > stamp and "request: served" in line for line in lines),
                       "requests are logged again once space returns")
    return after


def start_training(ctx):
    """Starts `rec-cli train` into the stack's (small) data folder. It runs through both
    measurements and fills the disk only when it publishes, about 30 s later."""
    ctx.before = sorted(os.listdir(ctx.model_dir))
    # Lowest priority but not SCHED_IDLE: a starved SCHED_IDLE trainer holding the shared log's
    # inode lock would stall the workers' appends (priority inversion), a cost of the test.
    command = ["nice", "-n", "19", os.path.join(BIN, "rec-cli"), "train",
               f"--dataset={os.path.join(ROOT, 'dataset', 'ratings_train.dat')}", "--threads", "1"] + FAST_TRAINING
    env = dict(os.environ, REC_DATA_DIR=ctx.stack.data_dir)
    env.pop("REC_AUTO_RELOAD", None)
    ctx.training_started = time.monotonic()
    ctx.training = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    TRAINERS.append(ctx.training)
    time.sleep(2)


def case_disk_full_train(ctx):
    model_dir = ctx.model_dir
    before = ctx.before
    ctx.case.check(ctx.training.poll() is None, "training still runs when the measured window starts (its disk fills in it)")
    try:
        _, stderr = ctx.training.communicate(timeout=300)
    finally:
        if ctx.training.poll() is None:
            ctx.training.kill()
            ctx.training.wait()
    result = subprocess.CompletedProcess(ctx.training.args, ctx.training.returncode, "", stderr)
    started = ctx.training_started
    ctx.case.notes.append(f"train on a full disk: exit {result.returncode} after {time.monotonic() - started:.0f} s: "
                          f"{result.stderr.strip().splitlines()[-1][:160] if result.stderr.strip() else '(no message)'}")
    ctx.case.check(result.returncode == 1, "train fails with exit code 1 (a runtime error, not a crash)")
    ctx.case.check(re.search(r"space|ENOSPC|full", result.stderr, re.I), "its message names the full disk")
    current = os.path.join(model_dir, "CURRENT")
    ctx.case.check(os.path.isfile(current) and not os.path.islink(current) and open(current).read() == "2\n",
                   "CURRENT still names generation 2, whole")
    after_listing = sorted(os.listdir(model_dir))
    ctx.case.check(after_listing == before, f"no partial generation or temporary file is left ({before} -> {after_listing})")
    ok, why = service_answers_correctly(ctx.port)
    ctx.case.check(ok, "the API still answers correctly" + ("" if ok else f": {why}"))

    def after(ctx):
        check_log_lines(ctx, ctx.stack.log_path)
    return after


# --- attacks on nginx and on the FastCGI socket ----------------------------------------------

def raise_file_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    for limit in (65536, hard):
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (limit, max(limit, hard)))
            return
        except (ValueError, OSError):
            continue


def case_slow_body(ctx, count=9000, hold=15):
    raise_file_limit()
    if resource.getrlimit(resource.RLIMIT_NOFILE)[0] < count + 1000:
        raise RuntimeError(f"the open-file limit {resource.getrlimit(resource.RLIMIT_NOFILE)[0]} is too low for {count} connections")
    selector = selectors.DefaultSelector()
    sockets, connected = [], 0
    header = (b"POST /api/predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
              b"Content-Length: 60000\r\n\r\n[")
    started = time.monotonic()
    for index in range(count):
        sock = socket.socket()
        sock.setblocking(False)
        sock.bind((f"127.0.0.{2 + index // 20000}", 0))  # not 127.0.0.1: per-client limits stay possible
        sock.connect_ex(("127.0.0.1", ctx.port))
        sockets.append(sock)
        selector.register(sock, selectors.EVENT_WRITE)
        if index % 500 == 499:
            for key, _ in selector.select(0):
                try:
                    key.fileobj.send(header)
                    connected += 1
                except OSError:
                    pass
                selector.unregister(key.fileobj)
    deadline = time.monotonic() + 3
    while selector.get_map() and time.monotonic() < deadline:
        for key, _ in selector.select(0.2):
            try:
                key.fileobj.send(header)
                connected += 1
            except OSError:
                pass
            selector.unregister(key.fileobj)
    ctx.case.notes.append(f"{connected} of {count} slow-body connections open after {time.monotonic() - started:.1f} s")
    end = time.monotonic() + hold
    while time.monotonic() < end:  # one byte per connection every 3 s keeps nginx's 10 s body timeout away
        for sock in sockets:
            try:
                sock.send(b" ")
            except OSError:
                pass
        time.sleep(3)
    ok, why = service_answers_correctly(ctx.port)
    ctx.case.check(ok, "a fresh client is served correctly at the end of the attack" + ("" if ok else f": {why}"))
    for sock in sockets:
        sock.close()
    selector.close()
    time.sleep(1)


def fastcgi_record(kind, request_id, content):
    return struct.pack(">BBHHBB", 1, kind, request_id, len(content), 0, 0) + content


def idle_fastcgi(ctx, partial, count=2, hold=12):
    sockets = []
    for _ in range(count):
        sock = socket.socket(socket.AF_UNIX)
        sock.connect(ctx.stack.socket_path)
        if partial:  # BEGIN_REQUEST, then a PARAMS record that announces 200 bytes and sends 10
            sock.send(fastcgi_record(1, 1, struct.pack(">HB5x", 1, 0)))
            sock.send(struct.pack(">BBHHBB", 1, 4, 1, 200, 0, 0) + b"\x0e\x03REQUE")
        sockets.append(sock)
    ctx.case.notes.append(f"{count} {'half-sent' if partial else 'silent'} connections on the FastCGI socket for {hold} s")
    time.sleep(hold)
    statuses = []
    for sock in sockets:
        sock.settimeout(0.1)
        try:
            statuses.append("closed by the pool" if sock.recv(1) == b"" else "answered")
        except (socket.timeout, BlockingIOError):
            statuses.append("still open")
        except OSError as error:
            statuses.append(f"error {error.errno}")
        sock.close()
    ctx.case.notes.append("attack connections at the end: " + ", ".join(statuses))
    time.sleep(1)


def case_idle_fastcgi(ctx):
    idle_fastcgi(ctx, partial=False)


def case_half_fastcgi(ctx):
    idle_fastcgi(ctx, partial=True)


def unknown_titles_body(count=5000):
    generator = random.Random(10)
    titles = ["".join(generator.choice("bcdfghjklmnpqrstvwxz") for _ in range(8)) for _ in range(count)]
    body = json.dumps([titles, [5] * count], separators=(",", ":"))
    assert len(body) <= 65536, len(body)
    return body


def case_unknown_titles(ctx, seconds=12, attackers=WORKERS):
    """One attacker per worker, each sending the 5,000-title predict again as soon as it is answered."""
    body = unknown_titles_body()
    statuses, latencies = {}, []
    lock = threading.Lock()

    def attack():
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            status, text, took = http_request(ctx.port, "POST", "/api/predict", body, timeout=30)
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                latencies.append(took)
    threads = [threading.Thread(target=attack) for _ in range(attackers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ctx.case.notes.append(f"{len(latencies)} predicts of {len(body)} bytes with 5,000 unknown titles from {attackers} "
                          f"clients: statuses {statuses}, median {sorted(latencies)[len(latencies) // 2] * 1000:.0f} ms")
    ctx.case.check(set(statuses) <= {422, 413, 400}, "each is refused with a 4xx")


CASES = [
    ("kill9", case_kill9, "kill -9 of a worker", {}),
    ("sigstop", case_sigstop, f"SIGSTOP of a busy worker for {STOPPED_SECONDS} s (past the request deadline)", {}),
    ("reload20", case_reloads, "20 reloads, alternating generations", {}),
    ("truncate", case_truncate, "served file truncated in place, then a good copy + reload", {}),
    ("flip-neighbours", case_flip_neighbours, "0x7fffffff over Toy Story's neighbour items", {}),
    ("flip-nan-factors", case_flip_nan, "NaN over item factors", {}),
    ("flip-titles", case_flip_titles, "0x7fffffff over title offsets and title keys", {}),
    ("symlink-current", case_symlink_current, f"CURRENT a symlink to {SECRET_FILE}, reload + SIGHUP", {}),
    ("fifo-current", case_fifo_current, "CURRENT a FIFO, reload + SIGHUP", {}),
    ("disk-full-log", case_disk_full_log, "the data folder's tmpfs full (the log)", {"tmpfs": "log", "generations": (2,)}),
    ("disk-full-train", case_disk_full_train, "rec-cli train into a tmpfs with no room for a generation",
     {"tmpfs": "train", "generations": (2,), "prepare": start_training}),
    ("slow-body", case_slow_body, "9,000 slow-body POST connections to nginx", {}),
    ("idle-fastcgi", case_idle_fastcgi, "2 silent connections on the FastCGI socket", {}),
    ("half-fastcgi", case_half_fastcgi, "2 half-sent FastCGI requests", {}),
    ("unknown-titles", case_unknown_titles, f"{WORKERS} clients sending predicts of 5,000 unknown titles next to normal traffic", {}),
]

TRAINERS = []


def tmpfs_size(kind, source_model_dir):
    """MiB for a case's tmpfs: room for one generation and the log ("log"), or too little for a
    second generation ("train")."""
    if not kind:
        return None
    model = os.path.getsize(os.path.join(source_model_dir, "model-1.recmodel")) // (1 << 20) + 1
    return model + 16 if kind == "log" else model + max(8, model // 2)


FAST_TRAINING = ["--model", "mf", "--no-search", "--hyperparameter", "factors=16", "--hyperparameter", "epochs=8"]
PRISTINE_MODEL = None


def train_model(directory):
    log(f"training a small model into {directory} (about 30 s)")
    env = dict(os.environ, REC_DATA_DIR=directory)
    env.pop("REC_AUTO_RELOAD", None)
    subprocess.run([os.path.join(BIN, "rec-cli"), "train", f"--dataset={os.path.join(ROOT, 'dataset', 'ratings_train.dat')}",
                    "--seed", "1"] + FAST_TRAINING, env=env, check=True, stdout=subprocess.DEVNULL)


def format_ms(values):
    return f"{values['get'] / 1000:.1f} / {values['post'] / 1000:.1f}" if values else "-"


def report(cases, path):
    lines = ["# RecServe fault suite", "",
             f"{time.strftime('%Y-%m-%d %H:%M:%S %Z')}, commit {git_sha()}, {os.cpu_count()} cores, load average "
             f"{open('/proc/loadavg').read().split()[0]}; {WORKERS} workers; normal traffic: {GET_CONNECTIONS} GET and "
             f"{POST_CONNECTIONS} POST connections (wrk, each pausing {GET_PAUSE_MS} / {POST_PAUSE_MS} ms between "
             f"requests) plus a fresh-connection probe of /api/health every 0.25 s. "
             f"p99 in ms as GET / POST; ratio is the larger of the two, over an unloaded p99 of at least "
             f"{P99_FLOOR_US / 1000:g} ms; failed is GET / POST; crashes are worker deaths the case did not cause "
             f"on purpose (by signal or by the request deadline). The p99 ratio's target is at most "
             f"{P99_RATIO_LIMIT:g}; it is {'enforced' if ENFORCE_P99 else 'reported, not enforced (FAULT_ENFORCE_P99=1 enforces it)'}.", "",
             "| case | requests sent | failed | p99 unloaded | p99 during | ratio | crashes | result |",
             "|---|---|---|---|---|---|---|---|"]
    for case in cases:
        ratio = f"{case.ratio:.2f}" if case.ratio is not None else "-"
        if case.ratio is not None and case.ratio > P99_RATIO_LIMIT:
            ratio += " (over 3)"
        lines.append(f"| {case.name} | {case.sent_get + case.sent_post} | {case.failed_get} / {case.failed_post} | "
                     f"{format_ms(case.base)} | {format_ms(case.during)} | {ratio} | {case.crashes} | "
                     f"{'pass' if case.passed else 'FAIL'} |")
    lines += ["", "## Details", ""]
    for case in cases:
        lines.append(f"- **{case.name}** ({case.description}): {'pass' if case.passed else 'FAIL'}")
        if case.error:
            lines.append(f"  - ERROR: {case.error}")
        if case.failed_get:
            lines.append(f"  - MISSED: {case.failed_get} failed idempotent requests (target 0)")
        if case.failed_post > case.allowed_post_failures:
            lines.append(f"  - MISSED: {case.failed_post} failed POSTs (target at most {case.allowed_post_failures})")
        if case.crashes:
            lines.append(f"  - MISSED: {case.crashes} unexpected worker deaths (target 0)")
        if case.ratio is not None and case.ratio > P99_RATIO_LIMIT:
            lines.append(f"  - {'MISSED' if ENFORCE_P99 else 'OVER (reported, not enforced)'}: p99 ratio {case.ratio:.2f} (target at most {P99_RATIO_LIMIT:g}); "
                         f"max latency during {format_ms(getattr(case, 'max_during', None))} ms")
        for ok, text in case.checks:
            lines.append(f"  - {'ok' if ok else 'MISSED'}: {text}")
        for note in case.notes:
            lines.append(f"  - note: {note}")
    text = "\n".join(lines) + "\n"
    with open(path, "w") as handle:
        handle.write(text)
    return text


def git_sha():
    result = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True)
    return result.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")


def cleanup(*_):
    for trainer in TRAINERS:
        if trainer.poll() is None:
            trainer.kill()
            trainer.wait()
    for stack in list(RUNNING):
        stack.stop()
    for path in list(MOUNTS):
        unmount(path)


def main():
    global PRISTINE_MODEL
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", help="comma-separated case names (default: all)")
    parser.add_argument("--list", action="store_true", help="list the cases and exit")
    parser.add_argument("--run-dir", default=os.environ.get("FAULT_RUN_DIR"), help="folder under /tmp/fault-* for this run")
    parser.add_argument("--report", help="where to write the Markdown report (default: RUN_DIR/fault-report.md)")
    arguments = parser.parse_args()
    if arguments.list:
        for name, _, description, _ in CASES:
            print(f"{name:18} {description}")
        return 0
    selected = CASES
    if arguments.cases:
        names = arguments.cases.split(",")
        unknown = set(names) - {name for name, *_ in CASES}
        if unknown:
            parser.error(f"unknown cases: {', '.join(sorted(unknown))}")
        selected = [case for case in CASES if case[0] in names]
    run_dir = arguments.run_dir or f"/tmp/fault-run-{os.getpid()}"
    os.makedirs(run_dir, exist_ok=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    raise_file_limit()
    model_source = os.environ.get("FAULT_MODEL_DIR")  # a data folder with a trained model, to skip training
    if not model_source:
        model_source = os.path.join(run_dir, "trained")
        if not os.path.exists(os.path.join(model_source, "model", "CURRENT")):
            train_model(model_source)
    current = open(os.path.join(model_source, "model", "CURRENT")).read().strip()
    source_model_dir = os.path.join(run_dir, "source-model")
    os.makedirs(source_model_dir, exist_ok=True)
    shutil.copyfile(os.path.join(model_source, "model", f"model-{current}.recmodel"),
                    os.path.join(source_model_dir, "model-1.recmodel"))
    PRISTINE_MODEL = os.path.join(source_model_dir, "model-1.recmodel")
    cases = []
    try:
        for name, function, description, options in selected:
            log(f"case {name}: {description}")
            case = run_case(name, function, description, run_dir, source_model_dir,
                            tmpfs_megabytes=tmpfs_size(options.get("tmpfs"), source_model_dir),
                            generations=options.get("generations", (1, 2)), prepare=options.get("prepare"))
            log(f"case {name}: {'pass' if case.passed else 'FAIL'}"
                + (f" ({case.error})" if case.error else ""))
            cases.append(case)
    finally:
        cleanup()
    path = arguments.report or os.path.join(run_dir, "fault-report.md")
    print(report(cases, path))
    log(f"report written to {path}; logs of each case in {os.path.join(run_dir, 'logs')}")
    return 0 if all(case.passed for case in cases) else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        cleanup()
