"""Command line: exit codes, configuration errors with file:line:col, and
`extract` on real report pages and on hostile input."""
import json
import os
import random
import tempfile
import unittest

from harness import DATA, RECORD_KEYS, run


class ConfigErrors(unittest.TestCase):
    def check_error(self, text, where, message):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "nianbao.yaml")
            db = os.path.join(d, "db")
            with open(path, "w") as f:
                f.write(text.replace("DB", db))
            for cmd in (["config", "check", "-c", path], ["crawl", "-c", path], ["export", "-c", path, "--format", "jsonl"]):
                r = run(*cmd)
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertIn(f"{path}:{where}: ", r.stderr)
                self.assertIn(message, r.stderr)
                self.assertFalse(os.path.exists(db), "the database must not be opened on a bad configuration")

    def test_broken_yaml(self):
        self.check_error("storage:\n  path: DB\ncrawl:\n  - a\n  b: 2\n", "5:3", "YAML syntax error: end of map not found")

    def test_unknown_key(self):
        self.check_error("storage:\n  path: DB\ncrawl:\n  per_host_delay: 10\n", "4:3", "crawl.per_host_delay: unknown key")

    def test_wrong_type(self):
        self.check_error("storage:\n  path: DB\ncrawl:\n  per_host_concurrency: two\n", "4:25",
                         "crawl.per_host_concurrency: expected a positive integer, got \"two\"")

    def test_bad_value_in_portal(self):
        self.check_error("storage:\n  path: DB\nportals:\n  - name: x\n    start_urls: [\"http://a/\"]\n    cms: joomla\n",
                         "6:10", "portals[0].cms: expected one of")

    def test_config_check_prints_defaults(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "c.yaml")
            with open(path, "w") as f:
                f.write("portals_dir: portals.d\n")
            os.mkdir(os.path.join(d, "portals.d"))
            with open(os.path.join(d, "portals.d", "a.yaml"), "w") as f:
                f.write("- name: a\n  start_urls: [\"http://a.gov.cn/nb/\"]\n")
            r = run("config", "check", "-c", path)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("per_host_delay_ms: 1000", r.stdout)
            self.assertIn("max_page_bytes: 20971520", r.stdout)
            self.assertIn("allow_hosts: [a.gov.cn:80, a.gov.cn:443]", r.stdout)  # the start URL's host on the web ports

    def test_usage(self):
        self.assertEqual(run("--help").returncode, 0)
        self.assertEqual(run("frobnicate").returncode, 2)
        self.assertEqual(run("crawl").returncode, 2)
        self.assertEqual(run("export", "-c", "x.yaml").returncode, 2)

    def test_a_real_command_line(self):
        plain = run()
        self.assertEqual(plain.returncode, 0)  # usage, not an error
        self.assertIn("Usage: nianbao", plain.stdout)
        version = run("--version")
        self.assertEqual(version.returncode, 0)
        self.assertRegex(version.stdout, r"^nianbao \d+\.\d+\.\d+")
        for command, options in {"export": ["--format", "--year", "--all-versions", "-o,--output", "--portal"],
                                 "backfill": ["--years", "--portal"], "probe": ["--cms", "--pages", "--json"],
                                 "portals": ["--json"]}.items():
            h = run(command, "--help")
            self.assertEqual(h.returncode, 0, command)
            for option in options:
                self.assertIn(option, h.stdout, (command, option))
        with tempfile.TemporaryDirectory() as d:
            cfg = os.path.join(d, "c.yaml")
            with open(cfg, "w") as f:
                f.write(f"storage:\n  path: {d}/db\nportals: []\n")
            # Options only where they apply; strict numbers and year ranges.
            for args, says in ((["export", "-c", cfg, "--format", "jsonl", "--years", "2019-2024"], "not expected"),
                               (["crawl", "-c", cfg, "--year", "2020"], "not expected"),
                               (["export", "-c", cfg, "--format", "jsonl", "--year", "2020abc"], "--year"),
                               (["backfill", "-c", cfg, "--years", "2019-20x"], "--years"),
                               (["export", "-c", cfg, "--format", "xml"], "--format")):
                r = run(*args)
                self.assertEqual(r.returncode, 2, args)
                self.assertIn(says, r.stderr, args)
                self.assertFalse(os.path.exists(os.path.join(d, "db")), args)
            # --opt=value, and -o - for standard output (an empty database exports nothing).
            empty = run("crawl", f"--config={cfg}")
            self.assertEqual(empty.returncode, 0, empty.stderr)  # nothing to do is not a failure, but it is said
            self.assertIn("event=no_portals", empty.stderr)
            r = run("export", f"--config={cfg}", "--format=jsonl", "-o", "-")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertFalse(os.path.exists("-"))
            self.assertIn("exported 0 records", r.stderr)


class Extract(unittest.TestCase):
    def test_seed_pages_as_json(self):
        files = [os.path.join(DATA, "seeds", f"00{i}.html") for i in range(5)]
        r = run("extract", *files, "--url", "http://www.example.gov.cn/nb/t1.html", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        records = [json.loads(line) for line in r.stdout.splitlines()]
        self.assertEqual(len(records), 5)
        for rec, n in zip(records, range(5)):
            self.assertEqual(list(rec.keys()), RECORD_KEYS)
            with open(os.path.join(DATA, "seeds", f"00{n}.expected.json"), encoding="utf-8") as f:
                expected = json.load(f)
            self.assertEqual(rec["format"], expected["format"])
            self.assertEqual(set(rec["fields"]), set(expected["fields"]))
            for key, want in expected["fields"].items():
                got = rec["fields"][key]
                self.assertEqual(got["raw"], want["raw"], key)
                self.assertEqual(got["value"], want["value"], key)
            self.assertEqual(rec["url"], "http://www.example.gov.cn/nb/t1.html")
            self.assertEqual(len(rec["report_id"]), 32)

    def test_failures_name_the_file_and_the_rest_go_on(self):
        with tempfile.TemporaryDirectory() as d:
            empty = os.path.join(d, "empty.html")
            open(empty, "wb").close()
            noise = os.path.join(d, "noise.html")
            rng = random.Random(7)
            with open(noise, "wb") as f:
                f.write(bytes(rng.getrandbits(8) for _ in range(5 * 1024 * 1024)))
            good = os.path.join(DATA, "seeds", "002.html")
            r = run("extract", empty, noise, os.path.join(d, "missing.html"), good, "--json")
            self.assertEqual(r.returncode, 1)
            self.assertGreaterEqual(r.returncode, 0, "must not die of a signal")
            self.assertIn(f"{empty}: empty body", r.stderr)
            self.assertIn(f"{noise}: binary data, not an HTML page", r.stderr)
            self.assertIn("missing.html: cannot read file", r.stderr)
            lines = r.stdout.splitlines()
            self.assertEqual(len(lines), 1)
            self.assertEqual(json.loads(lines[0])["agency"], "重庆市潼南区人民政府办公室")

    def test_hostile_sizes_are_bounded(self):
        with tempfile.TemporaryDirectory() as d:
            deep = os.path.join(d, "deep.html")
            with open(deep, "w") as f:
                f.write("<div>" * 1000000)  # quadratic for an unguarded tree builder
            r = run("extract", deep, "--json", timeout=60)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("FORMAT", [w["code"] for w in json.loads(r.stdout)["warnings"]])
            big = os.path.join(d, "big.html")
            with open(big, "w", encoding="utf-8") as f:
                f.write("<html><body>" + "<p>一段很长的报告正文内容，用来说明政府信息公开工作。</p>" * 700000)  # 57 MB
            r = run("extract", big, "--json", timeout=60)
            self.assertEqual(r.returncode, 0, r.stderr)
            rec = json.loads(r.stdout)
            self.assertIn("TRUNCATED", [w["code"] for w in rec["warnings"]])

    def test_page_that_only_links_its_pdf(self):
        import hashlib
        page = os.path.join(DATA, "reports", "link-only-hongze-2024.html")
        pdf = os.path.join(DATA, "reports", "004-hongze-2024.pdf")
        r = run("extract", page, "--url", "http://www.hongze.gov.cn/hzqrmzf/nb/t20250225_1.html", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        rec = json.loads(r.stdout)
        self.assertEqual(rec["source"], "pdf")
        self.assertEqual(rec["format"], "gov2021")
        self.assertEqual(len(rec["attachments"]), 1)
        att = rec["attachments"][0]
        self.assertTrue(att["url"].startswith("http://www.hongze.gov.cn/hzqrmzf/nb/"), att["url"])
        with open(pdf, "rb") as f:
            data = f.read()
        self.assertEqual(att["sha256"], hashlib.sha256(data).hexdigest())
        self.assertEqual(att["bytes"], len(data))
        with open(os.path.join(DATA, "reports", "link-only-hongze-2024.expected.json"), encoding="utf-8") as f:
            expected = json.load(f)
        for key, want in expected["fields"].items():
            got = dict(rec["fields"][key])
            origin = got.pop("origin", None)
            self.assertEqual(got, want, key)
            if want["raw"]:  # the PDF's table cell it came from (its ruling lines make the grid)
                self.assertTrue(origin and "table" in origin, (key, origin))
                cell = rec["tables"][origin["table"]]["rows"][origin["row"]][origin["col"]]
                self.assertEqual(" ".join(cell.split()), want["raw"], key)
        self.assertEqual(rec["published"], expected["published"])

    def test_malformed_html_is_a_record(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "bad.html")
            with open(path, "w", encoding="utf-8") as f:
                f.write("<html><body><table><tr><td>规章<td>0<tr><td rowspan=99999 colspan=-1>x" + "<div>" * 20000)
            r = run("extract", path, "--json")
            self.assertEqual(r.returncode, 0, r.stderr)
            rec = json.loads(r.stdout)
            self.assertEqual(rec["format"], "unknown")
            self.assertEqual([c["outcome"] for c in rec["checks"]], ["not_assessable"] * 5)


if __name__ == "__main__":
    unittest.main()
