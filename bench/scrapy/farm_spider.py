"""nianbao's farm crawl (bench/peer_bench.sh) done by Scrapy (Debian's
python3-scrapy) with readability-lxml (python3-readability), the peer a
user would otherwise assemble: every host's first bulk listing page, then
every report page it links; each report page's main content is extracted by
readability and stored as a JSON line (URL, title, SHA-256, size, the
length of the extracted text). Settings mirror nianbao's run: no delay,
4 requests per host, 64 in all, robots.txt obeyed."""
import hashlib

import scrapy
from readability import Document


class FarmSpider(scrapy.Spider):
    name = "farm"
    custom_settings = {
        "ROBOTSTXT_OBEY": True,
        "CONCURRENT_REQUESTS": 64,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 4,
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "TELNETCONSOLE_ENABLED": False,
    }

    def __init__(self, port, hosts="40", **kw):
        super().__init__(**kw)
        self.port = int(port)
        self.hosts = int(hosts)

    def start_requests(self):
        for i in range(1, self.hosts + 1):
            yield scrapy.Request(f"http://127.0.1.{i}:{self.port}/bulk/list_0.shtml", callback=self.parse_listing)

    def parse_listing(self, response):
        for href in response.css("li a::attr(href)").getall():
            yield response.follow(href, callback=self.parse_report)

    def parse_report(self, response):
        doc = Document(response.text)
        yield {
            "url": response.url,
            "title": doc.short_title(),
            "sha256": hashlib.sha256(response.body).hexdigest(),
            "bytes": len(response.body),
            "content_chars": len(doc.summary()),
        }
