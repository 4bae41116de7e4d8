"""End-to-end tests of `nianbao serve`: the real binary against the real
portal simulator over loopback, real RocksDB in a temp dir, a systemd
NOTIFY_SOCKET provided by the test, signals sent as systemd would."""
import json
import os
import re
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request

from harness import NIANBAO, Simulator, export, run, write_config


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout, what):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


# One sample line of the text exposition format: name{labels} value
SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? '
                    r'(-?[0-9.eE+-]+|\+Inf|NaN)$')


def parse_prometheus(text):
    """{(name, labels-string): value}; asserts every line is well-formed and
    every sample belongs to a declared metric family."""
    types, samples = {}, {}
    for line in text.splitlines():
        if line.startswith("# HELP "):
            continue
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ")
            assert kind in ("counter", "gauge", "histogram", "summary", "untyped"), line
            types[name] = kind
            continue
        m = SAMPLE.match(line)
        assert m, f"not a Prometheus sample line: {line!r}"
        name = m.group(1)
        family = re.sub(r"_(bucket|sum|count)$", "", name) if name not in types else name
        assert family in types, f"sample {name} has no # TYPE"
        samples[(name, m.group(2) or "")] = float(m.group(3))
    return types, samples


class Service:
    """`nianbao serve -c CONFIG` with its own NOTIFY_SOCKET and log file."""

    def __init__(self, directory, config, port, watchdog_usec=1000000, preexec_fn=None):
        self.port = port
        self.log_path = os.path.join(directory, f"serve-{time.time_ns()}.log")
        self.notify_path = os.path.join(directory, f"notify-{time.time_ns()}.sock")
        self.notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.notify.bind(self.notify_path)
        self.notify.settimeout(0.2)
        self.messages = []
        # Read as systemd does, all the time: a full socket queue would block sd_notify().
        self.reader = threading.Thread(target=self._read_notifications, daemon=True)
        self.reader.start()
        env = dict(os.environ, NOTIFY_SOCKET=self.notify_path, WATCHDOG_USEC=str(watchdog_usec))
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen([NIANBAO, "serve", "-c", config], stdout=subprocess.DEVNULL, stderr=self.log,
                                     env=env, preexec_fn=preexec_fn)

    def get(self, path):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=5) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()
        except (urllib.error.URLError, ConnectionError):
            return None, ""

    def status(self):
        code, body = self.get("/status")
        return json.loads(body) if code == 200 else None

    def _read_notifications(self):
        while True:
            try:
                self.messages.extend(self.notify.recv(4096).decode().split("\n"))
            except socket.timeout:
                continue
            except OSError:  # closed by stop()
                return

    def read_notifications(self):
        time.sleep(0.3)  # what was sent has been read
        return list(self.messages)

    def log_text(self):
        if not self.log.closed:
            self.log.flush()
        with open(self.log_path) as f:
            return f.read()

    def events(self, event):
        return [line for line in self.log_text().splitlines() if f"event={event} " in line + " "]

    def wait_ready(self, timeout=30):
        wait_for(lambda: self.get("/readyz")[0] == 200, timeout, "/readyz to answer 200")

    def wait_idle_after(self, outcome_key, timeout=60):
        return wait_for(lambda: (s := self.status()) and s["state"] == "idle" and outcome_key(s) and s, timeout,
                        "the service to be idle")

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(timeout=timeout)
        self.read_notifications()
        self.log.close()
        self.notify.close()
        self.reader.join(timeout=5)
        return self.proc.returncode


class ServeTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="nianbao-serve-")
        self.sim = Simulator()
        self.port = free_port()
        self.services = []

    def tearDown(self):
        for s in self.services:
            if s.proc.poll() is None:
                s.proc.kill()
                s.proc.wait()
        self.sim.stop()

    def config(self, schedule="*/4 * * * * *", sim=None):
        extra = f'schedule:\n  refresh: "{schedule}"\n  revisit_after_days: 0\nadmin:\n  listen: 127.0.0.1:{self.port}\n'
        return write_config(self.dir, sim or self.sim, extra=extra)

    def serve(self, config, **kw):
        s = Service(self.dir, config, self.port, **kw)
        self.services.append(s)
        return s

    def serve_during_a_refresh(self, slow):
        """A service on a fresh database, its start-up refresh of the slow
        simulator under way: (config, service)."""
        config = self.config(schedule="0 2 * * *", sim=slow)
        svc = self.serve(config)
        svc.wait_ready()
        wait_for(lambda: (s := svc.status()) and s["current_run"] and
                 s["current_run"]["progress"]["pages_fetched"] >= 3, 30, "the refresh to be under way")
        return config, svc

    def test_refresh_on_schedule_metrics_match_the_database_and_systemd_notifications(self):
        config = self.config()
        svc = self.serve(config)
        svc.wait_ready()
        self.assertEqual(svc.get("/healthz"), (200, "ok\n"))
        # A new database has never been refreshed: one runs at start-up, then every 4 s.
        first = svc.wait_idle_after(lambda s: s["last_refresh"]["outcome"] == "ok")
        started_first = first["last_refresh"]["started_at"]
        second = svc.wait_idle_after(lambda s: s["last_refresh"]["outcome"] == "ok"
                                     and s["last_refresh"]["started_at"] != started_first, timeout=30)
        whys = [re.search(r"why=(\S+)", line).group(1) for line in svc.events("run_queued")]
        self.assertEqual(whys[0], "start-up")
        self.assertIn("schedule", whys)
        # The scheduled run started on a second the cron expression names (*/4).
        sched_start = time.strptime(second["last_refresh"]["started_at"], "%Y-%m-%dT%H:%M:%SZ")
        self.assertEqual(sched_start.tm_sec % 4, 0, second["last_refresh"])
        self.assertIsNotNone(second["schedule"]["next_refresh"])

        # /metrics is Prometheus text and its counters are what the database holds
        # (read beside the running service: export opens read-only).
        code, text = svc.get("/metrics")
        self.assertEqual(code, 200)
        types, samples = parse_prometheus(text)
        self.assertEqual(types["nianbao_versions_added_total"], "counter")
        self.assertEqual(types["nianbao_fetch_duration_seconds"], "histogram")
        versions = export(config, all_versions=True)
        latest = export(config)
        self.assertGreaterEqual(len(latest), 5)
        self.assertEqual(samples[("nianbao_versions_added_total", "")], len(versions))
        self.assertEqual(samples[("nianbao_reports_stored", "")], len(latest))
        fetched = sum(v for (n, _), v in samples.items() if n == "nianbao_pages_fetched_total")
        self.assertGreater(samples[("nianbao_pages_fetched_total", '{class="2xx"}')], 0)
        self.assertEqual(samples[("nianbao_fetch_duration_seconds_count", "")], fetched)
        self.assertEqual(samples[("nianbao_fetch_duration_seconds_bucket", '{le="+Inf"}')], fetched)
        self.assertGreaterEqual(samples[("nianbao_runs_total", '{mode="refresh",outcome="ok"}')], 2)
        # Every URL scheduled: the 3 listing pages and the report pages at least.
        self.assertGreaterEqual(samples[("nianbao_frontier_size", "")], len(latest) + 3)
        self.assertGreater(samples[("process_open_fds", "")], 0)
        self.assertEqual(samples[("nianbao_last_refresh_outcome", '{outcome="ok"}')], 1)

        # systemd: READY=1 after the database opened, WATCHDOG=1 from the loop, STATUS= lines.
        messages = svc.read_notifications()
        self.assertIn("READY=1", messages)
        self.assertIn("WATCHDOG=1", messages)
        self.assertTrue(any(m.startswith("STATUS=refresh: ") for m in messages), messages)
        self.assertEqual(svc.stop(), 0)
        self.assertIn("STOPPING=1", svc.messages)
        self.assertTrue(svc.events("stopped"))

    def test_a_refresh_that_reaches_no_portal_is_failed_on_status_and_metrics(self):
        config = os.path.join(self.dir, "dead.yaml")
        with open(config, "w") as f:
            f.write(f"storage:\n  path: {os.path.join(self.dir, 'dead-db')}\n"
                    f"crawl:\n  per_host_delay_ms: 0\n  max_retries: 0\n  connect_timeout_s: 2\n"
                    f'schedule:\n  refresh: "0 2 * * *"\nadmin:\n  listen: 127.0.0.1:{self.port}\n'
                    f"portals:\n  - name: dead\n    start_urls: [\"http://127.0.0.1:9/nb/index.html\"]\n"
                    f"    allow_private_addresses: true\n")
        svc = self.serve(config)
        svc.wait_ready()
        status = svc.wait_idle_after(lambda s: s["last_refresh"]["outcome"] is not None)
        self.assertEqual(status["last_refresh"]["outcome"], "failed")
        self.assertTrue(status["coverage"]["dead"]["failed"])
        self.assertIn("outcome=failed", svc.events("run_finished")[0])
        code, text = svc.get("/metrics")
        _, samples = parse_prometheus(text)
        self.assertEqual(samples[("nianbao_portal_last_success_timestamp_seconds", '{portal="dead"}')], 0)
        self.assertEqual(samples[("nianbao_runs_total", '{mode="refresh",outcome="failed"}')], 1)
        self.assertEqual(svc.proc.poll(), None)  # the network is down, not the service
        self.assertEqual(svc.stop(), 0)

    def test_a_refresh_missed_while_down_runs_once_at_start_up(self):
        config = self.config(schedule="0 2 * * *")
        svc = self.serve(config)
        svc.wait_ready()  # a new database: its first refresh runs at start-up
        svc.wait_idle_after(lambda s: s["last_refresh"]["outcome"] == "ok")
        self.assertEqual(svc.stop(), 0)
        # Restarted before the next 02:00: nothing was missed, nothing runs.
        svc = self.serve(config)
        svc.wait_ready()
        time.sleep(1.5)
        self.assertEqual(svc.events("run_queued"), [])
        self.assertIsNone(svc.status()["current_run"])
        self.assertEqual(svc.stop(), 0)
        # A schedule whose last firing came after the last refresh: one refresh at start-up.
        time.sleep(1.1)
        with open(config) as f:
            text = f.read()
        with open(config, "w") as f:
            f.write(text.replace('refresh: "0 2 * * *"', 'refresh: "* * * * * *"'))
        svc = self.serve(config)
        svc.wait_ready()
        missed = wait_for(lambda: svc.events("refresh_missed"), 10, "refresh_missed in the log")
        self.assertEqual(len(missed), 1)
        self.assertIn("why=start-up", svc.events("run_queued")[0])
        self.assertEqual(svc.stop(), 0)

    def test_sighup_keeps_the_old_configuration_when_the_new_one_is_broken(self):
        config = self.config(schedule="0 2 * * *")
        svc = self.serve(config)
        svc.wait_ready()
        self.assertEqual(svc.status()["config"]["generation"], 1)
        with open(config) as f:
            good = f.read()
        with open(config, "w") as f:
            f.write(good.replace("per_host_concurrency: 2", "per_host_concurrency: two"))
        svc.proc.send_signal(signal.SIGHUP)
        failed = wait_for(lambda: svc.events("reload_failed"), 10, "reload_failed in the log")
        self.assertIn("nianbao.yaml:", failed[0])
        self.assertIn("crawl.per_host_concurrency", failed[0])
        status = svc.status()
        self.assertEqual(status["config"]["generation"], 1)
        self.assertEqual(status["schedule"]["refresh"], "0 2 * * *")
        self.assertEqual(svc.get("/readyz")[0], 200)
        # A good file is applied: the new schedule is in force.
        with open(config, "w") as f:
            f.write(good.replace('refresh: "0 2 * * *"', 'refresh: "30 3 * * 1"'))
        svc.proc.send_signal(signal.SIGHUP)
        wait_for(lambda: svc.events("reloaded"), 10, "reloaded in the log")
        status = svc.status()
        self.assertEqual(status["config"]["generation"], 2)
        self.assertEqual(status["schedule"]["refresh"], "30 3 * * 1")
        # next_refresh is a Monday 03:30 local time.
        nxt = time.localtime(time.mktime(time.strptime(status["schedule"]["next_refresh"], "%Y-%m-%dT%H:%M:%SZ"))
                             - time.timezone)
        self.assertEqual((nxt.tm_wday, nxt.tm_hour, nxt.tm_min), (0, 3, 30), status["schedule"])
        self.assertIn("RELOADING=1", svc.read_notifications())
        self.assertEqual(svc.stop(), 0)

    def test_sigterm_during_a_refresh_exits_0_in_time_and_a_restart_loses_nothing(self):
        slow = Simulator(latency_ms=150)
        try:
            config, svc = self.serve_during_a_refresh(slow)
            t0 = time.time()
            self.assertEqual(svc.stop(signal.SIGTERM), 0)
            self.assertLess(time.time() - t0, 20)
            self.assertTrue(svc.events("stopped"))
            # Restarted, it resumes the interrupted refresh and finishes it.
            svc2 = self.serve(config)
            svc2.wait_ready()
            svc2.wait_idle_after(lambda s: s["last_refresh"]["outcome"] == "ok", timeout=90)
            self.assertIn("why=resume", " ".join(svc2.events("run_queued")))
            self.assertEqual(svc2.stop(), 0)
            resumed = {(r["report_id"], r["content_sha256"]) for r in export(config, all_versions=True)}
            # The same simulator crawled in one uninterrupted pass.
            ref_dir = tempfile.mkdtemp(prefix="nianbao-ref-")
            ref = write_config(ref_dir, slow)
            r = run("crawl", "-c", ref, timeout=300)
            self.assertEqual(r.returncode, 0, r.stderr)
            expected = {(r["report_id"], r["content_sha256"]) for r in export(ref, all_versions=True)}
            self.assertEqual(resumed, expected)
        finally:
            slow.stop()

    def test_one_writer_a_second_process_is_refused_and_backfill_is_handed_to_the_service(self):
        config = self.config(schedule="0 2 * * *")
        svc = self.serve(config)
        svc.wait_ready()
        svc.wait_idle_after(lambda s: s["last_refresh"]["outcome"] == "ok")
        r = run("crawl", "-c", config)
        self.assertEqual(r.returncode, 1)
        self.assertIn(f"in use by pid {svc.proc.pid}, nianbao serve", r.stderr)
        r = run("serve", "-c", config)
        self.assertEqual(r.returncode, 1)
        self.assertIn("in use by pid", r.stderr)
        # backfill talks to the running service instead.
        r = run("backfill", "-c", config, "--years", "2019-2023")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(f"queued in the running service (pid {svc.proc.pid}", r.stdout)
        wait_for(lambda: 'mode="backfill",outcome="ok"} 1' in svc.get("/metrics")[1], 60, "the backfill to finish")
        self.assertIn("mode=backfill why=admin", " ".join(svc.events("run_queued")))
        code, body = svc.get("/nope")
        self.assertEqual(code, 404)
        self.assertEqual(svc.stop(), 0)
        # Without the service, backfill runs by itself on the database.
        r = run("backfill", "-c", config, "--years", "2019-2023")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("reports stored", r.stdout)

    def test_a_second_sigterm_exits_at_once_and_leaves_nothing_half_written(self):
        slow = Simulator(latency_ms=150)
        try:
            config, svc = self.serve_during_a_refresh(slow)
            # Two different signals: two of one kind sent at once may be delivered as one.
            # Both are made pending while the process is stopped, so the second is there
            # when the first is handled: sent one after the other, a loaded machine could
            # let a quick stop finish (exit 0) before the second arrived.
            svc.proc.send_signal(signal.SIGSTOP)
            svc.proc.send_signal(signal.SIGTERM)
            svc.proc.send_signal(signal.SIGINT)
            svc.proc.send_signal(signal.SIGCONT)
            self.assertEqual(svc.proc.wait(timeout=10), 1)
            self.assertIn("second signal", svc.log_text())
            svc.stop()
            # Every stored record is whole, and a restart finishes the run.
            for rec in export(config, all_versions=True):
                self.assertEqual(rec["version"], 1)
                self.assertTrue(rec["fields"])
            svc2 = self.serve(config)
            svc2.wait_ready()
            svc2.wait_idle_after(lambda s: s["last_refresh"]["outcome"] == "ok", timeout=90)
            self.assertEqual(svc2.stop(), 0)
            self.assertGreaterEqual(len(export(config)), 5)
        finally:
            slow.stop()

    def test_queued_backfills_survive_a_restart(self):
        slow = Simulator(latency_ms=150)
        try:
            config, svc = self.serve_during_a_refresh(slow)
            for years in ("2019-2020", "2023-2024"):
                r = run("backfill", "-c", config, "--years", years)
                self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual([q["years"] for q in svc.status()["queue"]], [[2019, 2020], [2023, 2024]])
            self.assertEqual(svc.stop(), 0)
            # Restarted: the interrupted refresh first, then both backfills in their order.
            svc = self.serve(config)
            svc.wait_ready()
            wait_for(lambda: 'mode="backfill",outcome="ok"} 2' in svc.get("/metrics")[1], 120, "both backfills")
            starts = [re.search(r"mode=(\S+) why=(\S+)", line).groups() for line in svc.events("run_starting")]
            self.assertEqual(starts[:3], [("refresh", "resume"), ("backfill", "admin"), ("backfill", "admin")])
            self.assertEqual(svc.status()["queue"], [])
            self.assertEqual(svc.stop(), 0)
        finally:
            slow.stop()

    def test_admin_requests_are_checked(self):
        config = self.config(schedule="0 2 * * *")
        svc = self.serve(config)
        svc.wait_ready()
        post = lambda target: urllib.request.urlopen(urllib.request.Request(  # noqa: E731
            f"http://127.0.0.1:{self.port}{target}", method="POST"), timeout=5)
        for target, fragment in (("/backfill", "years=FIRST-LAST is required"),
                                 ("/backfill?years=2023-2019", "expected FIRST-LAST"),
                                 ("/backfill?years=2019-2023&portal=nope", "no such portal")):
            with self.assertRaises(urllib.error.HTTPError) as caught:
                post(target)
            self.assertEqual(caught.exception.code, 400, target)
            self.assertIn(fragment, caught.exception.read().decode(), target)
        self.assertEqual(svc.get("/backfill")[0], 200)  # the queued backfills
        with post("/backfill?years=2019-2020&portal=sim") as r:
            self.assertEqual(r.status, 202)
            body = json.loads(r.read())
        self.assertEqual(body["queued"]["years"], [2019, 2020])
        self.assertEqual(body["queued"]["portals"], ["sim"])
        self.assertEqual(svc.stop(), 0)

    def test_the_backfill_queue_is_strict_bounded_listed_and_cancellable(self):
        slow = Simulator(latency_ms=150)
        try:
            config, svc = self.serve_during_a_refresh(slow)  # the queue waits behind it
            base = f"http://127.0.0.1:{self.port}"

            def call(method, target, headers=None):
                req = urllib.request.Request(base + target, method=method, headers=headers or {})
                try:
                    with urllib.request.urlopen(req, timeout=5) as r:
                        return r.status, r.read().decode()
                except urllib.error.HTTPError as e:
                    return e.code, e.read().decode()

            # Years exactly FIRST-LAST: no overflow, no NUL, no sign (before: 2000-2000 and 2020 were queued).
            for years in ("2000-4294969296", "2020%002021", "%2B2020", "2020-", "20200-2021", "2019-2020&years=2021"):
                code, body = call("POST", f"/backfill?years={years}")
                self.assertEqual(code, 400, (years, body))
            self.assertEqual(call("POST", "/backfill?years=2019-2020&portal=nope")[0], 400)
            # The same work is one job, whatever the repetition of its portals.
            code, body = call("POST", "/backfill?years=2019-2020" + "&portal=sim" * 600)
            self.assertEqual(code, 202, body)
            first = json.loads(body)["queued"]
            self.assertEqual(first["portals"], ["sim"])
            code, body = call("POST", "/backfill?years=2019-2020&portal=sim")
            self.assertEqual(code, 200, body)
            self.assertEqual(json.loads(body)["queued"]["id"], first["id"])
            # Bounded: 32 queued backfills, then 429.
            for k in range(31):
                code, body = call("POST", f"/backfill?years={1990 + k}-{1990 + k}")
                self.assertEqual(code, 202, body)
            code, body = call("POST", "/backfill?years=2100-2100")
            self.assertEqual(code, 429, body)
            listed = json.loads(call("GET", "/backfill")[1])["queued"]
            self.assertEqual(len(listed), 32)
            # Removed by id, over HTTP and from the command line.
            code, body = call("DELETE", f"/backfill/{first['id']}")
            self.assertEqual(code, 200, body)
            self.assertEqual(call("DELETE", f"/backfill/{first['id']}")[0], 404)
            other = listed[1]["id"]
            r = run("backfill", "-c", config, "--cancel", str(other))
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(len(json.loads(call("GET", "/backfill")[1])["queued"]), 30)
            self.assertEqual(call("POST", "/backfill?years=2100-2100")[0], 202)
            # Only requests made for this endpoint: a foreign Host (DNS rebinding) or Origin (a web page) is refused.
            self.assertEqual(call("POST", "/backfill?years=2099-2099", {"Host": "evil.example:80"})[0], 421)
            self.assertEqual(call("GET", "/status", {"Host": "attacker.test"})[0], 421)
            self.assertEqual(call("POST", "/backfill?years=2099-2099", {"Origin": "http://evil.example"})[0], 403)
            self.assertEqual(call("GET", "/healthz", {"Origin": f"http://127.0.0.1:{self.port}"})[0], 200)
            self.assertEqual(call("GET", "/healthz", {"Host": f"localhost:{self.port}"})[0], 200)
            self.assertEqual(svc.stop(), 0)
        finally:
            slow.stop()

    def test_backup_beside_the_running_service(self):
        slow = Simulator(latency_ms=150)
        try:
            config, svc = self.serve_during_a_refresh(slow)
            backup = os.path.join(self.dir, "backup")
            r = run("backup", "-c", config, backup)  # the service holds the database: it takes the copy
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("taken by nianbao serve", r.stdout)
            self.assertEqual(svc.get("/backup")[0], 200)
            self.assertEqual(json.loads(svc.get("/backup")[1])["state"], "done")
            self.assertIn("backup_done", svc.log_text())
            self.assertEqual(svc.stop(), 0)
            with open(config, encoding="utf-8") as f:
                text = f.read()
            restored = os.path.join(self.dir, "restored.yaml")
            with open(restored, "w", encoding="utf-8") as f:
                f.write(text.replace(os.path.join(self.dir, "db"), backup))
            r = run("verify", "-c", restored)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        finally:
            slow.stop()

    def test_a_token_file_guards_every_request_but_the_probes(self):
        token_file = os.path.join(self.dir, "admin.token")
        with open(token_file, "w") as f:
            f.write("s3cret-token-of-32-characters-xx\n")
        config = self.config(schedule="0 2 * * *")
        with open(config, "a") as f:
            f.write(f"  token_file: {token_file}\n")  # appended to the admin: section write_config ends with
        svc = self.serve(config)
        svc.wait_ready()
        base = f"http://127.0.0.1:{self.port}"

        def call(method, target, token=None):
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            try:
                with urllib.request.urlopen(urllib.request.Request(base + target, method=method, headers=headers),
                                            timeout=5) as r:
                    return r.status
            except urllib.error.HTTPError as e:
                return e.code

        self.assertEqual(call("GET", "/healthz"), 200)
        self.assertEqual(call("GET", "/readyz"), 200)
        self.assertEqual(call("GET", "/status"), 401)
        self.assertEqual(call("GET", "/metrics", "wrong-token-of-32-characters-xxx"), 401)
        self.assertEqual(call("POST", "/backfill?years=2019-2019"), 401)
        self.assertEqual(call("GET", "/status", "s3cret-token-of-32-characters-xx"), 200)
        # The command line reads the same file: a backfill is handed to the service.
        r = run("backfill", "-c", config, "--years", "2019-2019")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("queued in the running service", r.stdout)
        self.assertEqual(svc.stop(), 0)

    def test_slow_clients_cannot_keep_the_health_check_out(self):
        config = self.config(schedule="0 2 * * *")
        svc = self.serve(config)
        svc.wait_ready()
        slow = []
        try:
            for _ in range(64):  # slow-loris: a request line and one header, then nothing
                c = socket.create_connection(("127.0.0.1", self.port), timeout=5)
                c.sendall(b"GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                slow.append(c)
            started = time.monotonic()
            code, body = svc.get("/healthz")
            self.assertEqual(code, 200, body)
            self.assertLess(time.monotonic() - started, 1.0)
        finally:
            for c in slow:
                c.close()
        self.assertEqual(svc.stop(), 0)

    def test_a_page_past_its_cpu_budget_is_failed_and_health_says_degraded_meanwhile(self):
        # Twenty-four report pages of 8 MiB of dense markup each: decoding one
        # and Gumbo's parse of it take 0.1-0.3 s each, steps that cannot be
        # stopped midway. With a budget of 0.1 s CPU per page, a worker runs
        # past the budget within such a step (meanwhile /healthz answers 503
        # degraded, /status lists it, worker_stuck is logged), and the page is
        # stopped at the next step and recorded as failed with the reason.
        import http.server
        body = ("<html><head><title>2023年政府信息公开工作年度报告</title></head><body>"
                + "<p>报告</p>" * 700000 + "</body></html>").encode()
        listing = ("<html><body><ul>" + "".join(
            f'<li><a href="/r/{i}.html">某某局2023年政府信息公开工作年度报告{i}</a><span>2024-02-{1 + i:02d}</span></li>'
            for i in range(24)) + "</ul></body></html>").encode()

        class Dense(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                page = listing if self.path == "/col/index.html" else body if self.path.startswith("/r/") else None
                self.send_response(200 if page else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page or b"")))
                self.end_headers()
                self.wfile.write(page or b"")

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Dense)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            portal = type("Portal", (), {"column_url": f"http://127.0.0.1:{server.server_port}/col/index.html"})
            config = self.config(schedule="0 2 * * *", sim=portal)
            with open(config) as f:
                text = f.read()
            with open(config, "w") as f:
                f.write(text.replace("crawl:\n", "crawl:\n  page_cpu_budget_s: 0.1\n", 1))
            svc = self.serve(config)
            svc.wait_ready()
            degraded, stuck_listed = [], []
            deadline = time.time() + 120
            while time.time() < deadline:
                code, text = svc.get("/healthz")
                if code == 503:
                    degraded.append(text)
                status = svc.status()
                if status and status["current_run"] and status["current_run"]["workers_stuck"]:
                    stuck_listed.append(status["current_run"]["workers_stuck"][0])
                if status and status["state"] == "idle" and status["last_refresh"]["outcome"]:
                    break
                time.sleep(0.02)
            self.assertTrue(degraded, "no /healthz 503 while workers were past the budget")
            self.assertRegex(degraded[0], r"^degraded: \d+ worker\(s\) past the page budget; http://127\.0\.0\.1:\d+/r/\d+\.html for \d+ s\n$")
            self.assertTrue(stuck_listed)
            self.assertRegex(stuck_listed[0]["url"], r"/r/\d+\.html$")
            self.assertEqual(svc.get("/healthz"), (200, "ok\n"))  # none past it now
            over = svc.events("page_over_budget")
            self.assertEqual(len(over), 24, svc.log_text()[-3000:])
            for line in over:
                self.assertIn("budget_s=0.1", line)
                self.assertRegex(line, r'error="stopped after (decoding|parsing|the body and sections|the tables|the fields)"')
            self.assertTrue(svc.events("worker_stuck"))
            self.assertEqual(export(config), [])  # nothing stored from a page that was stopped
            self.assertEqual(svc.stop(), 0)
        finally:
            server.shutdown()
            server.server_close()

    def test_a_failing_database_keeps_the_service_up_not_ready_until_it_can_write_again(self):
        # A soft file-size limit makes RocksDB's writes fail as a full disk
        # does; the hard limit stays, so the test can lift it from outside
        # (prlimit), as an operator frees space. Before: the service exited
        # 1 at the first failed write and systemd's restart limit left it down.
        import resource

        def limited():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
            resource.setrlimit(resource.RLIMIT_FSIZE, (96 << 10, hard))

        config = self.config(schedule="0 2 * * *")  # a new database: one refresh at start-up
        s = Service(self.dir, config, self.port, preexec_fn=limited)
        self.services.append(s)
        wait_for(lambda: s.events("database_failed"), 30, "database_failed in the log")
        self.assertIsNone(s.proc.poll(), "the service exited")
        code, body = s.get("/readyz")
        self.assertEqual(code, 503)
        self.assertIn("database failed", body)
        self.assertEqual(s.status()["state"], "database_failed")
        self.assertEqual(s.get("/healthz")[0], 200)
        time.sleep(2.5)  # a reopen or two fail the same way, and the service is still up
        self.assertIsNone(s.proc.poll(), "the service exited")
        resource.prlimit(s.proc.pid, resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
        wait_for(lambda: s.events("database_reopened"), 30, "database_reopened in the log")
        s.wait_idle_after(lambda st: st["last_refresh"]["outcome"] == "ok", timeout=60)
        self.assertEqual(s.get("/readyz")[0], 200)
        self.assertEqual(s.stop(), 0)
        self.assertEqual(len(export(config)), 5)  # every seed report of the simulator's column

    def test_a_broken_configuration_never_starts_the_service(self):
        config = self.config()
        with open(config, "a") as f:
            f.write("schedule_typo: 1\n")
        r = run("serve", "-c", config)
        self.assertEqual(r.returncode, 2)
        self.assertIn("nianbao.yaml:", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "db")))
        config = self.config(schedule="0 25 * * *")
        r = run("serve", "-c", config)
        self.assertEqual(r.returncode, 2)
        self.assertIn("hour", r.stderr)


if __name__ == "__main__":
    unittest.main()
