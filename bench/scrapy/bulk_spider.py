"""The crawl of bench/crawl_bench.sh done by Scrapy (Debian's python3-scrapy),
for comparison: the simulator's bulk listing pages, then every report page;
each report page is stored as a JSON line (URL, title, SHA-256 and size of the
body). Scrapy extracts nothing from the tables, so it does less per page
than nianbao."""
import hashlib

import scrapy


class BulkSpider(scrapy.Spider):
    name = "bulk"
    custom_settings = {
        "ROBOTSTXT_OBEY": True,
        "CONCURRENT_REQUESTS": 64,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "TELNETCONSOLE_ENABLED": False,
    }

    def __init__(self, base, pages="30", **kw):
        super().__init__(**kw)
        self.base = base
        self.pages = int(pages)

    def start_requests(self):
        yield scrapy.Request(f"{self.base}/bulk/list_0.shtml", callback=self.parse_listing, cb_kwargs={"k": 0})

    def parse_listing(self, response, k):
        for href in response.css("li a::attr(href)").getall():
            yield response.follow(href, callback=self.parse_report)
        if k + 1 < self.pages:
            yield response.follow(f"list_{k + 1}.shtml", callback=self.parse_listing, cb_kwargs={"k": k + 1})

    def parse_report(self, response):
        yield {
            "url": response.url,
            "title": response.css("title::text").get(),
            "sha256": hashlib.sha256(response.body).hexdigest(),
            "bytes": len(response.body),
        }
