"""Shared helpers for the end-to-end tests: the real nianbao binary, the
real portal simulator (nianbao-sim) over loopback, real RocksDB on disk."""
import json
import os
import shutil
import subprocess
import tempfile
import urllib.request

def _absolute(path):
    """A binary named by a path works from any working directory a test picks."""
    return os.path.abspath(path) if os.sep in path else path


NIANBAO = _absolute(os.environ.get("NIANBAO_BIN", "nianbao"))
SIM = _absolute(os.environ.get("NIANBAO_SIM_BIN", "nianbao-sim"))
DATA = os.environ.get("NIANBAO_DATA", os.path.join(os.path.dirname(__file__), "..", "data"))


class Simulator:
    def __init__(self, latency_ms=0, night=1):
        self.dir = tempfile.mkdtemp(prefix="nianbao-sim-")
        self.log = os.path.join(self.dir, "requests.log")
        self.proc = subprocess.Popen(
            [SIM, "--port", "0", "--latency-ms", str(latency_ms), "--night", str(night), "--log", self.log],
            stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline().strip()
        assert line.startswith("listening "), line
        self.column_url = line.split(" ", 1)[1]
        self.base_url = self.column_url.split("/zwgk/")[0]

    def set_night(self, n):
        with urllib.request.urlopen(f"{self.base_url}/__sim/night?n={n}") as r:
            assert r.status == 200

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)
        self.proc.stdout.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def write_config(directory, sim, db_name="db", delay_ms=0, concurrency=2, extra=""):
    path = os.path.join(directory, "nianbao.yaml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"""storage:
  path: {os.path.join(directory, db_name)}
crawl:
  per_host_concurrency: {concurrency}
  per_host_delay_ms: {delay_ms}
  timeout_s: 20
portals:
  - name: sim
    start_urls: ["{sim.column_url}"]
    allow_hosts: ["127.0.0.1"]
    allow_private_addresses: true
{extra}""")
    return path


def run(*args, timeout=120, **kw):
    return subprocess.run([NIANBAO, *args], capture_output=True, text=True, timeout=timeout, **kw)


def export(config, all_versions=False):
    args = ["export", "-c", config, "--format", "jsonl"] + (["--all-versions"] if all_versions else [])
    r = run(*args)
    assert r.returncode == 0, r.stderr
    return [json.loads(line) for line in r.stdout.splitlines() if line.strip()]


RECORD_KEYS = ["schema", "report_id", "version", "url", "linked_url", "portal", "found_on", "also_at", "status",
               "title", "agency", "year", "published", "format", "source", "attachments", "fetched_at", "http",
               "content_sha256", "raw_sha256", "body_text", "sections", "tables", "fields", "checks", "warnings"]


def assert_exports_lose_nothing(test, config, directory):
    """Every non-null field value of the JSONL export is in the wide CSV under
    its key and in the long CSV (and the long CSV holds nothing else).
    Returns how many values were compared."""
    import csv
    records = export(config)
    wide_path, long_path = os.path.join(directory, "wide.csv"), os.path.join(directory, "long.csv")
    test.assertEqual(run("export", "-c", config, "--format", "csv", "-o", wide_path).returncode, 0)
    test.assertEqual(run("export", "-c", config, "--format", "long", "-o", long_path).returncode, 0)
    with open(wide_path, encoding="utf-8-sig", newline="") as f:
        wide = {row["report_id"]: row for row in csv.DictReader(f)}
    with open(long_path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    test.assertEqual(list(rows[0].keys()), ["report_id", "version", "key", "value", "raw", "origin"])
    long = {(x["report_id"], x["key"]): x for x in rows}

    def text(v):
        return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)

    values = 0
    for rec in records:
        row = wide[rec["report_id"]]
        test.assertEqual(row["format"], rec["format"])
        test.assertEqual(int(row["checks_pass"]), sum(1 for c in rec["checks"] if c["outcome"] == "pass"))
        for key, field in rec["fields"].items():
            if field["value"] is None:
                continue
            values += 1
            test.assertIn(key, row, f"{key}: no column")
            test.assertEqual(row[key], text(field["value"]), (rec["title"], key))
            test.assertEqual(long[(rec["report_id"], key)]["value"], text(field["value"]), key)
            test.assertEqual(long[(rec["report_id"], key)]["raw"], field["raw"] or "", key)
    test.assertEqual(len(rows), values)
    return values
