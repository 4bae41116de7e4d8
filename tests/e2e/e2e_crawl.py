"""Crawling the portal simulator over real HTTP into a real RocksDB:
every report found, look-alikes skipped, versions only on real change."""
import json
import os
import tempfile
import unittest

from harness import RECORD_KEYS, Simulator, assert_exports_lose_nothing, export, run, write_config

REPORTS = 5  # seeds 000-004 on the simulator's column


class CrawlVersions(unittest.TestCase):
    def setUp(self):
        self.sim = Simulator()
        self.dir = tempfile.TemporaryDirectory()
        self.config = write_config(self.dir.name, self.sim)

    def tearDown(self):
        self.sim.stop()
        self.dir.cleanup()

    def crawl(self):
        r = run("crawl", "-c", self.config)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r

    def test_versions_follow_content_not_fetches(self):
        self.crawl()
        first = export(self.config)
        self.assertEqual(len(first), REPORTS)
        self.assertEqual(sorted(r["year"] for r in first), [2020, 2024, 2024, 2024, 2024])
        for rec in first:
            self.assertEqual(list(rec.keys()), RECORD_KEYS)
            self.assertEqual(rec["version"], 1)
            self.assertEqual(rec["portal"], "sim")
            self.assertEqual(rec["status"], "live")
            self.assertTrue(rec["found_on"][0].startswith(self.sim.base_url + "/zwgk/zfxxgknb/index"))
            self.assertEqual(rec["http"]["status"], 200)
            self.assertIn(rec["format"], ("gov2021", "gov2019"))
            self.assertNotIn("解读", rec["title"])
        by_agency = {r["agency"]: r for r in first}
        self.assertEqual(by_agency["邢台市襄都区"]["http"]["charset"], "gb18030")  # served as GBK

        # Same site again: no new version.
        self.crawl()
        self.assertEqual(len(export(self.config, all_versions=True)), REPORTS)

        # Night 2: one number of 002 changes, 000 changes only chrome.
        self.sim.set_night(2)
        self.crawl()
        versions = export(self.config, all_versions=True)
        self.assertEqual(len(versions), REPORTS + 1)
        tongnan = [v for v in versions if v["agency"] == "重庆市潼南区人民政府办公室"]
        self.assertEqual(sorted(v["version"] for v in tongnan), [1, 2])
        key = "t2.art20_1.normative_docs.issued"
        self.assertEqual({v["version"]: v["fields"][key]["value"] for v in tongnan}, {1: 7, 2: 8})
        latest = {r["agency"]: r for r in export(self.config)}
        self.assertEqual(latest["重庆市潼南区人民政府办公室"]["version"], 2)
        self.assertEqual(latest["北京市怀柔区人民政府办公室"]["version"], 1)

    def test_a_relative_database_path_is_the_configuration_files_wherever_a_command_runs(self):
        # storage.path "db" beside the config file: crawled from one directory,
        # exported from another, the same database; each command names it first.
        conf_dir = os.path.join(self.dir.name, "etc")
        os.makedirs(conf_dir)
        config = os.path.join(conf_dir, "nianbao.yaml")
        with open(self.config) as f:
            text = f.read()
        with open(config, "w") as f:
            f.write(text.replace(f"path: {os.path.join(self.dir.name, 'db')}", "path: db"))
        expected = os.path.join(conf_dir, "db")
        elsewhere = os.path.join(self.dir.name, "elsewhere")
        os.makedirs(elsewhere)
        r = run("crawl", "-c", config, cwd=elsewhere)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr.splitlines()[0], f"nianbao crawl: database {expected}")
        self.assertTrue(os.path.isdir(expected))
        self.assertFalse(os.path.exists(os.path.join(elsewhere, "db")))
        r = run("export", "-c", config, "--format", "jsonl", cwd=self.dir.name)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr.splitlines()[0], f"nianbao export: database {expected}")
        self.assertEqual(len(r.stdout.splitlines()), REPORTS)

    def test_exit_codes_tell_the_truth(self):
        """Every portal unreachable: exit 1. One of two: exit 0, said. Ctrl-C: 130, what was in flight kept."""
        import signal
        import subprocess
        import time
        from harness import NIANBAO

        def config(name, portals):
            path = os.path.join(self.dir.name, name + ".yaml")
            with open(path, "w") as f:
                f.write(f"storage:\n  path: {os.path.join(self.dir.name, name + '-db')}\n"
                        f"crawl:\n  per_host_delay_ms: 0\n  max_retries: 0\n  connect_timeout_s: 2\nportals:\n")
                for pname, url in portals:
                    f.write(f"  - name: {pname}\n    start_urls: [\"{url}\"]\n    allow_private_addresses: true\n")
            return path

        dead = ("dead", "http://127.0.0.1:9/zfxxgknb/index.html")  # nothing listens on port 9
        live = ("sim", self.sim.column_url)
        r = run("crawl", "-c", config("all-dead", [dead]))
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("no portal could be read", r.stderr)
        self.assertIn("outcome: failed", r.stdout)
        r = run("crawl", "-c", config("one-dead", [dead, live]))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("1 of 2 portals failed (nothing of their listings could be read): dead", r.stdout)
        self.assertIn("outcome: degraded", r.stdout)
        self.assertEqual(len(export(config("one-dead", [dead, live]))), REPORTS)
        # Ctrl-C: the pages in flight are written, then exit 130.
        slow = Simulator(latency_ms=800)
        try:
            cfg = write_config(self.dir.name, slow, db_name="sigint-db")
            p = subprocess.Popen([NIANBAO, "crawl", "-c", cfg], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            time.sleep(3.0)  # robots.txt, the listing, the first report pages: about half the crawl
            p.send_signal(signal.SIGINT)
            out, err = p.communicate(timeout=60)
            self.assertEqual(p.returncode, 130, err)
            self.assertIn("interrupted", out)
            kept = len(export(cfg))
            self.assertGreater(kept, 0)  # the report pages fetched before Ctrl-C
            self.assertLess(kept, REPORTS)
        finally:
            slow.stop()

    def test_csv_export_and_filters(self):
        self.crawl()
        out = os.path.join(self.dir.name, "out.csv")
        r = run("export", "-c", self.config, "--format", "csv", "--year", "2024", "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out, encoding="utf-8") as f:
            text = f.read()
        self.assertTrue(text.startswith("\ufeffreport_id,version,url,portal,agency,year,published,format,source,title,"
                                        "status,fetched_at,checks_pass,checks_fail,checks_uncertain,warnings,"))
        rows = text.strip().splitlines()
        self.assertEqual(len(rows), 1 + 4)  # four 2024 reports
        self.assertEqual(len(rows[0].split(",")), 16 + 229)  # meta, then the keys of gov2021 (200) and gov2019's own (29)

    def test_a_write_that_fails_ends_the_crawl_with_a_message_and_loses_nothing(self):
        # A file-size limit makes RocksDB's writes fail as a full disk does.
        # The crawl exits 1 naming the database (before: SIGABRT from
        # RocksDB's WAL writer, flushed again at close after the failure);
        # run again with room, it finishes and every report is there.
        def limited():
            import resource
            import signal
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (256 << 10, 256 << 10))

        r = run("crawl", "-c", self.config, preexec_fn=limited)
        self.assertEqual(r.returncode, 1, r.stderr[-2000:])
        self.assertIn("nianbao: " + os.path.join(self.dir.name, "db"), r.stderr)
        self.assertIn("store_failed", r.stderr)
        self.crawl()
        self.assertEqual(len(export(self.config)), REPORTS)

    def test_verify_checks_a_crawled_database(self):
        self.crawl()
        r = run("verify", "-c", self.config)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn(f"reports: {REPORTS}, versions: {REPORTS}, raw bodies: {REPORTS}", r.stdout)
        self.assertIn("no problem found", r.stdout)

    def test_backup_is_a_database_of_its_own(self):
        self.crawl()
        backup = os.path.join(self.dir.name, "backup")
        r = run("backup", "-c", self.config, backup)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(run("backup", "-c", self.config, backup).returncode, 1)  # never over an existing directory
        with open(self.config, encoding="utf-8") as f:
            text = f.read()
        restored = os.path.join(self.dir.name, "restored.yaml")
        with open(restored, "w", encoding="utf-8") as f:
            f.write(text.replace(os.path.join(self.dir.name, "db"), backup))
        self.assertEqual(sorted(json.dumps(r, sort_keys=True) for r in export(restored)),
                         sorted(json.dumps(r, sort_keys=True) for r in export(self.config)))
        r = run("verify", "-c", restored)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def test_a_failed_export_leaves_the_output_file_as_it_was(self):
        # The export's file is written under a temporary name and renamed
        # when complete: a write that fails (here the file-size limit, as a
        # full disk would) exits 1 and leaves the previous export untouched.
        self.crawl()
        out = os.path.join(self.dir.name, "out.jsonl")
        with open(out, "w", encoding="utf-8") as f:
            f.write("the previous export\n")

        def limited():
            import resource
            import signal
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
            resource.setrlimit(resource.RLIMIT_FSIZE, (64 << 10, 64 << 10))

        r = run("export", "-c", self.config, "--format", "jsonl", "-o", out, preexec_fn=limited)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("out.jsonl", r.stderr)
        with open(out, encoding="utf-8") as f:
            self.assertEqual(f.read(), "the previous export\n")
        self.assertEqual([n for n in os.listdir(self.dir.name) if "partial" in n], [])
        # Without the limit the same export replaces it whole.
        r = run("export", "-c", self.config, "--format", "jsonl", "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out, encoding="utf-8") as f:
            self.assertEqual(len([line for line in f if line.strip()]), len(export(self.config)))

    def test_csv_and_long_exports_lose_nothing(self):
        # gov2019 (2020) and gov2021 reports in one database.
        self.crawl()
        self.assertEqual({r["format"] for r in export(self.config)}, {"gov2019", "gov2021"})
        self.assertGreater(assert_exports_lose_nothing(self, self.config, self.dir.name), 500)

    def interrupted_backfill(self, slow, db_name):
        """A backfill of 2024 on `slow`, stopped by SIGTERM after a second; its config."""
        import signal
        import subprocess
        import time
        from harness import NIANBAO
        config = write_config(self.dir.name, slow, db_name=db_name)
        first = subprocess.Popen([NIANBAO, "backfill", "-c", config, "--years", "2024-2024"],
                                 stderr=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True)
        time.sleep(1.0)
        first.send_signal(signal.SIGTERM)
        out, _ = first.communicate(timeout=60)
        self.assertEqual(first.returncode, 0)
        self.assertIn("interrupted", out)
        return config

    def test_an_interrupted_backfill_is_finished_in_its_own_mode_before_the_pass_asked_for(self):
        slow = Simulator(latency_ms=200)
        try:
            config = self.interrupted_backfill(slow, "resume-db")
            r = run("crawl", "-c", config, timeout=300)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("finished the interrupted backfill; now the crawl", r.stdout)
            # The crawl that followed stored every report, of every year.
            years = sorted(rec["year"] for rec in export(config))
            self.assertEqual(len(years), REPORTS)
            self.assertLess(years[0], 2024)
        finally:
            slow.stop()

    def test_an_interrupted_backfill_of_other_years_is_followed_by_the_years_asked_for(self):
        # Seen under systemd: an interrupted `backfill --years 2019-2025` resumed
        # by `backfill --years 2008-2025` finished the old years and stopped.
        slow = Simulator(latency_ms=200)
        try:
            config = self.interrupted_backfill(slow, "resume-years-db")
            r = run("backfill", "-c", config, "--years", "2019-2024", timeout=300)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("finished the interrupted backfill; now the backfill asked for", r.stdout)
            years = sorted(rec["year"] for rec in export(config))
            self.assertEqual(len(years), REPORTS)  # 2020 too, not only the resumed run's 2024
            self.assertEqual(years[0], 2020)
        finally:
            slow.stop()

    def test_second_process_on_the_same_database_is_refused(self):
        slow = Simulator(latency_ms=400)
        try:
            config = write_config(self.dir.name, slow, db_name="busy-db")
            import subprocess
            from harness import NIANBAO
            first = subprocess.Popen([NIANBAO, "crawl", "-c", config], stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
            import time
            time.sleep(0.5)
            second = run("crawl", "-c", config)
            self.assertEqual(second.returncode, 1)
            # The refusal names the process holding the database.
            self.assertIn(f"in use by pid {first.pid}, nianbao crawl", second.stderr)
            self.assertEqual(first.wait(timeout=120), 0)
        finally:
            slow.stop()


if __name__ == "__main__":
    unittest.main()
