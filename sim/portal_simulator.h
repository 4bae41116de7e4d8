// sim/portal_simulator.h
//
// A real HTTP/1.1 server on loopback that imitates the 政府信息公开年报 columns
// of government portals built on the CMS families of spec/listing.md, plus a
// host that misbehaves. The demo and the end-to-end tests crawl it over real
// HTTP. Everything it serves is built in memory from pages compiled into the
// binary (tests/data/seeds/*.html and sim/attach/004-hongze-2024.pdf); it reads
// no files at run time.
//
// Each family is its own host: a loopback address, all on the same port
// (every 127.0.0.0/8 address is local on Linux). The request's local address
// picks the site that answers; the Host header is not consulted.
//
//   family   address     column_url(family) path
//   trs      bind_address (default 127.0.0.1)  /zwgk/zfxxgknb/index.shtml
//   hanweb   127.0.0.2   /col/col1234/index.html
//   gkmlpt   127.0.0.3   /gkmlpt/index
//   vsb      127.0.0.4   /xxgk/nb.htm
//   generic  127.0.0.5   /list?page=1
//   hostile  127.0.0.6   /hostile/index.html
//   (the second rendering: 127.0.0.7 ... 127.0.0.19, below; the farm: 127.0.1.1 ...)
//
// The catalog: every family lists the same five seed reports (000..004; 004 is
// GBK-encoded) and three look-alikes (the 解读 page "lookalike" and two
// generated pages: 2025年政务公开工作要点, the 2023 更正说明), newest first;
// gkmlpt and generic also list the PDF report (淮安市洪泽区人民政府2024年政府
// 信息公开工作年度报告, the bytes of sim/attach/004-hongze-2024.pdf, served as
// application/pdf), first. A seed's detail page is the same bytes on every host.
//
// ---- trs (127.0.0.1): TRS WCM, paths under /zwgk/zfxxgknb/
//   /robots.txt                      Disallow: /private/
//   index.shtml, index_1.shtml, index_2.shtml
//                                    listing pages: chrome, <ul class="list"> entries,
//                                    createPageHTML(3, cur, "index", "shtml"), 下一页 links
//   <YYYYMM>/t<YYYYMMDD>_<id>.shtml  the catalog's detail pages (no PDF)
//   /zwgk/zfxxgknb/                  301 to index.shtml (the column URL as linked in chrome)
//   /hostile/redirect-offsite        302 to a host outside the portal (offsite.invalid)
//   /hostile/redirect-loop-a, -b     302 to each other, forever
//   /hostile/redirect-chain/N        N 302 hops, then to the column's index.shtml
//   /hostile/<anything else>         404, text/plain
//   /bulk/list_<k>.shtml (k < 10000) 100 synthetic report titles linking /bulk/<k>/<i>.shtml
//                                    (report 002 with a sentence of its own) and 下一页 to
//                                    list_<k+1> (benchmarks; also served by the farm)
//   Query strings are ignored.
//
// ---- hanweb (127.0.0.2): Hanweb JCMS
//   /col/col1234/index.html          chrome and an empty <div id="1234"></div>; a jpage
//                                    script names the proxy, perPage: 3, groupSize: 3,
//                                    columnid 1234, unitid 5678. No entries in the HTML.
//   /module/web/jpage/dataproxy.jsp?startrecord=S&endrecord=E&perpage=P
//                                    POST (or GET) with form col=1&columnid=1234&unitid=...:
//                                    text/xml <datastore><nextgroup>..</nextgroup><recordset>
//                                    <record><![CDATA[\n<li><a href="/art/..." title="T">T</a>
//                                    <span>YYYY-MM-DD</span></li>\n]]></record>...</recordset>
//                                    <totalrecord>N</totalrecord><totalpage>ceil(N/P)
//                                    </totalpage></datastore>. Records S..E (1-based,
//                                    clamped to N) whatever P is, as JCMS does (S=1&E=45&P=15
//                                    is 45 records), so the windows a jpage asks for overlap
//                                    and a crawler must de-duplicate. Defaults: S=1, P=15,
//                                    E=S+3P-1.
//                                    columnid other than 1234: no records, total 0.
//                                    N = 8 (night 2: 9), so 3 pages of P=3.
//   /art/YYYY/M/D/art_1234_<id>.html detail pages (month and day not zero-padded;
//                                    <id> = the TRS id, e.g. art_1234_14216032 for 002)
//   /robots.txt                      Disallow: /private/
//
// ---- gkmlpt (127.0.0.3): Guangdong 政府信息公开目录平台
//   /gkmlpt/index                    chrome and a script with window._CONFIG = {SID: '755',
//                                    ..., CAT_ID: 2811, ...}; links /gkmlpt/index#2811
//   /gkmlpt/api/all/2811?page=N&sid=755   N = 1..3 (page defaults to 1; sid required,
//                                    other sids and pages 404); application/json
//                                    {"total": 9, "articles": [{"id", "title", "url",
//                                    "publisher", "first_publish_time" (unix seconds, 09:00
//                                    China time), "attachment": [{"name", "url"}]}]}, 4 a
//                                    page; urls absolute (http://127.0.0.3:<port>/...).
//                                    Night 2: total 10.
//   /gkmlpt/content/0/123/post_<id>.html  detail pages, <id> = 123401 ... 123408 in TRS
//                                    listing order, 123409 the PDF report's page (listed
//                                    first), 123410 night 2's new entry
//   post_123409.html                 the PDF report's page: no tables, only 附件 linking
//                                    /attachment/0/123/123409/5306218.pdf (the PDF); its
//                                    article lists the PDF under "attachment"
//   /robots.txt                      503 + Retry-After: 1 the first time per client address,
//                                    then 200 "Disallow: /gkmlpt/search/"
//
// ---- vsb (127.0.0.4): VSB 博达, pages count down
//   /xxgk/nb.htm (newest), /xxgk/nb/2.htm, /xxgk/nb/1.htm
//                                    3 entries a page, linked relatively
//                                    (../info/1307/<id>.htm, ../../info/...); pager
//                                    "共8条 1/3 共3页", <a class="Next" href="nb/2.htm">下页</a>
//                                    and 尾页 (class "Next"), 首页/上页 (class "Prev")
//   /info/1307/<id>.htm              detail pages, <id> = TRS id % 100000
//   /robots.txt                      404 (everything allowed)
//
// ---- generic (127.0.0.5)
//   /list?page=1, ?page=2, ?page=3   4 entries a page (/list alone = page 1; others 404);
//                                    "共9条记录 共3页 当前第N页", links 首页 上一页 (?page=N)
//                                    下一页 (?page=N+1) 末页 (/list?page=3) where they apply
//   /doc/YYYY/MM/DD/<id>.shtml       detail pages, <id> = TRS id % 10000000
//   /uploads/202502/hzq2024nb.pdf    the PDF report, linked straight from the listing
//   /robots.txt                      User-agent: * / Disallow: (allow all)
//
// ---- hostile (127.0.0.6), the same both nights
//   /hostile/index.html              a listing linking every endpoint below with a
//                                    report-like title
//   /hostile/503                     503 + Retry-After: 2 the first 2 times per client
//                                    address, then 200 with report 002
//   /hostile/429                     429 + Retry-After: 1 the first time per client
//                                    address, then 200 with report 003
//   /hostile/429-date                (not linked) 429 + Retry-After as an HTTP-date 3 s
//                                    ahead the first time per client address, then 200
//                                    "ok" (text/plain)
//   /hostile/slow                    report 000: headers at once, body in 30 pieces 100 ms
//                                    apart (3 s)
//   /hostile/reset                   the connection is reset (RST), no response
//   /hostile/truncated               report 001 with its full Content-Length, half the
//                                    body sent, then the connection closed
//   /hostile/calendar?date=YYYY-MM-DD  an endless trap: each day links the previous and next
//                                    day and ?date=YYYY-MM; each month links its days and
//                                    the previous and next month (no date = 2025-01-01;
//                                    invalid dates 404)
//   /hostile/soft404                 200 with a 页面不存在 / 您访问的页面不存在 page
//   /hostile/challenge               200 with a WAF page (安全验证, 请开启JavaScript) whose
//                                    script sets a cookie and reloads
//   /hostile/huge                    a 31,457,341-byte (>= 30 MiB) HTML page, generated in
//                                    64 KiB pieces as it is sent (never held in memory)
//   /hostile/offsite                 links to http://offsite.invalid/..., //offsite.invalid/...,
//                                    http://10.0.0.1/... and http://169.254.169.254/...
//   /hostile/private/x.html          report 003; robots.txt disallows it: a polite crawler
//                                    never fetches it
//   /hostile/redirect-*              as on trs, the chain ending at /hostile/index.html
//   /robots.txt                      User-agent: * / Crawl-delay: 2 / Disallow: /hostile/private/
//
// ==== The second rendering (127.0.0.7 ... 127.0.0.19; sim/rendering_b*.cc)
//
// A second, independent rendering of the five families, built apart from the
// listing parser from /work/shared/spec/listing-real.md and the real markup in
// /work/notes/real-listings.md: one portal (a 年报 column) per host, on the same
// port. Portal names are the hosts' "families" (base_url(name), column_url(name),
// Manifest(name) work with them; Families() does not list them).
//
// Entries: every report is a seed report (000..004) with its agency and report
// year changed in title and body and one sentence of its own (synthetic, and it
// says so), so each is a distinct report (seed 004's are gov2019, years 2019-2020,
// GBK on hosts .7 .10 .14 .17 .19); look-alikes (…解读 (one the seed 解读 page),
// …年度报告说明, 关于…的更正说明, …政务公开工作要点, …政务公开工作总结, 图解：…)
// are synthetic pages without tables. Listing titles vary (年度, year first,
// 二〇二三年). Newest first; ids grow with time.
//
//   host  name / family / variant                start (what a user configures)
//   .7    trs-countpage  trs  countPage-html      /zwgk/zfxxgk/zfxxgknb/
//         index.html (= the directory URL), index_1.html ...: `var countPage = N; var
//         currentPage = M;` under a commented-out stale `//createPageHTML(9, 0, "index",
//         "html");`, NO pager links (drawn by /images/page.js); rows
//         <a href="./YYYYMM/tYYYYMMDD_<id>.html" title=T>T<span>date</span></a>; 7 a page.
//   .8    trs-tree  trs  tree-createPageHTML      /zwgk/zfxxgknb/index.shtml
//         the newest 5 entries and a side navigation of sub-columns (区政府 ./qzf/index.shtml,
//         区政府部门 ./bm/, 乡镇（街道） ./xzjd/list.shtml, 区属事业单位 ./qsdw/index.shtml),
//         paged by createPageHTML(N, cur,"index", "shtml",  "black2",records) (5 a page),
//         createPageHTML(N, cur, "index", "html") (6), createPageHTML('page_div',N, cur,
//         'list','shtml',records) (1-based: list.shtml, list_2.shtml ...; 5), pageControl(N,
//         cur, "index", "shtml", 4, 'pages-nav') (4); details <sub>/YYYYMM/t..._<id>.<ext>.
//   .9    hanweb-inline  hanweb  jpage-inline-datastore   /col/col75431/index.html
//         the first group (45 records) inline in <div id="398754"><script type="text/xml">
//         <datastore> (<nextgroup>, a stray <ul>, <record><![CDATA[<li>…]]>); var
//         param_398754 = {col:1, appid:1, webid:62, path:'/', columnid:75431,
//         sourceContentType:1, unitid:'398754', webname:'示例市人民政府', permissiontype:0};
//         jpage({proxyUrl: '/module/web/jpage/dataproxy.jsp', perPage: 15, groupSize: 3,
//         totalRecord: 52, ...}). 52 entries (54 on night 2). Data proxy: POST
//         ?startrecord=S&endrecord=E&perpage=P with the form body (columnid in the body or
//         query) answers records S-1 .. E (S > 1: the previous group's last record again);
//         GET ?page=N&appid=1&webid=62&path=/&columnid=..&unitid=..&webname=..&permissiontype=0
//         (as <nextgroup> names it) answers group N of 45 (again with the repeat). Both
//         carry <totalrecord> and <totalpage> (of perPage). Titles cut after 18
//         characters with "..." (full in title=), every third href absolute, dates in <b>.
//         Per-unit sub-columns /col/col75436/ (市财政局) and /col/col75437/ (市教育局) in the
//         side navigation: five reports of one unit each (2024 ... 2020), all inline;
//         75437's <nextgroup> is "./dataproxy.jsp?page=1&amp;..." (relative to the proxy).
//   .10   hanweb-old  hanweb  jpage-post-only     /col/col2231/index.html
//         the older proxy /module/jslib/jquery/jpage/dataproxy.jsp; NO record inline (an
//         empty recordset); perPage 5, groupSize 3 (a group is 15 records); records are
//         <tr> rows with [YYYY-MM-DD], titles cut with "…"; the <nextgroup> URL has
//         path='/', appid twice and ENCRYPTED columnid/unitid: GET with them answers an
//         empty <datastore></datastore>; only POST windows (with param_80325's values) page.
//   .11   hanweb-jpaas  hanweb  jpaas-unit-api    /col/col1229/index.html
//         <script url="/api-gateway/jpaas-publish-server/front/page/build/unit"
//         queryData="{'parseType':'buildstatic', ..., 'pageId':'1229'}">; GET that with the
//         queryData as query (plus paramJson={"pageNo":N,"pageSize":M} for later pages;
//         pageSize honoured up to 100) -> {"success":true,...,"data":{"html":"<ul>…</ul>
//         <div class=\"pagination\" rows=\"15\" count=\"N\" pageNo=\"K\">"}};
//         details /art/YYYY/art_<32 hex>.html.
//   .12   gkmlpt-tree  gkmlpt  config-tree-by-name  /gkmlpt/index  (no fragment)
//         window._CONFIG = {"SID":"755041", ..., "TREE":[...], "SERVICE_AREA_ID":...}, keys
//         quoted; 政府信息公开年报 (id 2862) at depth 3 beside 政府信息公开工作要点;
//         /gkmlpt/api/all/2862?page=N&sid=755041: 20 a page, page 0 = page 1, past the end
//         an empty list; {"classify":{"post_count":N}, "total":N, "articles":[{"id",
//         "title", "publisher", "date", "first_publish_time", "url" (absolute), "attachment"
//         [...], ...}]}; details /gkmlpt/content/2/2862/post_<id>.html.
//   .13   gkmlpt-dept  gkmlpt  dept-mount-fragment  /qkjj/gkmlpt/index#2845
//         a department mount: _CONFIG with unquoted keys and single-quoted values
//         (SID:'755325'), category 年度报告 (2845) named by the fragment;
//         /qkjj/gkmlpt/api/all/2845?page=N&sid=755325, 100 a page (one page), only
//         classify.post_count; details /qkjj/gkmlpt/content/2/2845/post_<id>.html.
//         On both gkmlpt hosts one article is only the PDF: "url": "" and
//         attachment[0].url /attachment/0/<...>.pdf (the embedded real PDF report).
//   .14   vsb-tree  vsb  tree-countdown-dynamic   /zwgk/zfxxgknb.htm
//         left tree 本级年报 / 部门年报 / 镇街年报, 5 a page:
//         /zwgk/zfxxgknb.htm, zfxxgknb/2.htm, zfxxgknb/1.htm (numbered downwards): <td
//         id="fanye148356">共N条&nbsp;&nbsp;1/M&nbsp;</td>, class="Next" 下页/尾页 with
//         ABSOLUTE hrefs, "PrevDisabled"/"NextDisabled" spans; details /info/1154/<id>.htm.
//         /zwgk/zfxxgknb/bmnb.htm, bmnb/3.htm ... bmnb/1.htm: the pb_sys_common pager
//         (<span class="p_t">共N条</span> ... p_next/p_last links, p_next_d, <span
//         class="p_t">1/M</span>); details /info/1155/<id>.htm.
//         /list.jsp?urltype=tree.TreeTempUrl&wbtreeid=1156, then
//         ?totalpage=M&PAGENUM=k&urltype=tree.TreeTempUrl&wbtreeid=1156 (class="Next" links;
//         pages by wbtreeid and PAGENUM); details
//         /content.jsp?urltype=news.NewsContentUrl&wbtreeid=1156&wbnewsid=<id>.
//   .15   generic-pageindex  generic  pageIndex-script-pager   /content/column/6791573
//         ?pageIndex=N (none = 1); Ls.pagination("#page_6791573", function(pageIndex){
//         location.href='/content/column/6791573?pageIndex=' + pageIndex;},{currPage: (k),
//         pageCount:M}) and the 上一页/下一页/尾页 links it draws; 10 a page; details
//         /content/article/<id> (no extension).
//   .16   anhui-label  generic  anhui-label-8888
//         /public/column/6786551?type=4&action=list&nav=3&catId=7065111
//         no entries; the script's listUrl "/site/label/8888?IsAjax=1&dataType=html&_=...
//         &pageSize=15&pageIndex=1&...&catId=7065111&...&file=%2Fc3%2Fhs%2FpublicInfoList_newest"
//         (pageIndex replaced per page) and pageCount:M; each HTML fragment (by IsAjax=1,
//         catId and pageIndex) has its entries and pageCount:M again; past the end
//         暂无相关信息. Other catIds of the column page 404. Details /public/6596221/<id>.html.
//   .17   generic-currpage  generic  currpage-gt-gbk-served
//         /xxgk/InfoPublic.aspx?cid=1019&pid=971&currpage=1&kw=
//         pages by cid and currpage; "共N条 页次：k/M", links 首页 &lt; &gt; 末页 (no 下一页);
//         dates 2025年02月14日; GBK bytes, Content-Type charset=GBK, <meta charset="utf-8">;
//         details /xxgk/InfoDetail.aspx?id=<id>&cid=1019 (by id).
//   .18   generic-list  generic  list_N-declared-gb2312   /zwgk/ndbg/list.html
//         list.html, list_2.html ... (1-based), "共M页 共N条 第k页", 首页 上页 下页 末页;
//         UTF-8 bytes and header, <meta ... charset=gb2312>; rows ./YYYYMM/<id>.html, one
//         straight to the PDF /uploads/2025/02/hzq2024nb.pdf.
//   .19   generic-doc  generic  doc-shtml-script-pager   /xxgk/ndbg/index.shtml
//         index.shtml, index_2.shtml ... (1-based; index_1.shtml 404s, as on the 无锡
//         intertid CMS); the pager only a script: var totalRecord = N;
//         $("#pagination").pagination({totalPage: M, currentPage: k, callback: ...
//         "index_" + page + ".shtml"}); details /doc/YYYY/MM/DD/<id>.shtml.
// Every host also serves /robots.txt (allow all).
//
// Night 2 on the second rendering: one or two new reports per portal (dated
// 2025-06-0x, listed first in their column: .8 in 区政府部门, .9 and .13 and .17 two,
// .14 in 部门年报), 404 on night 1; listings shift and every printed count follows
// (trs-countpage gains index_4.html, trs-tree's bm gains index_3.html). Nothing else
// changes: a page whose bytes are the same keeps its ETag and Last-Modified.
// Every stored page, listing page and data answer (GET or POST) carries ETag (a
// hash of the bytes served) and Last-Modified (the entry's date, else 2025-02-10;
// 2025-06-01 for what night 2 changed); a GET or HEAD with a matching If-None-Match
// (or, without one, an identical If-Modified-Since) gets 304.
//
// ==== The manifest: GET /__sim/manifest (every host), nianbao-sim --manifest
//
//   {"port": P, "portals": [{"name", "rendering" ("a" the first rendering's five
//     families, then "b"), "family", "variant", "host", "start_url" (with the fragment
//     where that is the variant), "allow_hosts": [host],
//     "entries": [{"url" (absolute), "title" (full), "kind" ("report"|"lookalike"),
//                  "year" (the title's; null if none), "night" ("1" both nights, "2" new
//                  on night 2)}],
//     "listing_pages": [{"url", "method" ("GET"|"POST"), "body" (POSTs), "night"}]}]}
//   A PDF-only gkmlpt article's entry url is the PDF's URL. Without a server (or
//   --port) the URLs carry the literal "{port}" and "port" is null. Rendering "a"
//   entries are its report and look-alike pages (gkmlpt's PDF article as its detail
//   page; generic's straight PDF link as the PDF).
//
// ==== Hiding a page, the farm, dropped connections
//
//   GET /__sim/hide?host=<address>&path=<percent-encoded path-with-query> (any host;
//   host defaults to the one asked) makes that target answer 404 from then on, for
//   every method, until GET /__sim/hide?clear=1; nianbao-sim --hide <address><path>
//   (repeatable) and SimulatorOptions::hide do the same from the start. The target must
//   match exactly as requested (e.g. a POST window by its query).
//   --farm N (farm_hosts): N more hosts 127.0.1.1 ... 127.0.1.N on the same port, each
//   serving the trs host's /bulk/ pages (see trs above); nothing else.
//   --close-after K (close_after): on every host, a connection's (K+1)-th request is
//   read and the connection then closed without an answer (the client sees "Empty
//   reply from server"); nothing is logged for it.
//
// On every host: /__sim/night?n=1|2 switches the night (not part of the site);
// anything not listed is a 404 with an HTML body; methods other than GET and
// HEAD get 405 (except the Hanweb data proxies, which take POST). The "first
// time(s)" of gkmlpt's robots.txt, /hostile/503 and /hostile/429 are counted
// per client address (the peer IP) and path, from Start().
//
// Night 2 differs from night 1 in exactly these ways (Page::night2 says which
// pages change and how). A "cell" change replaces one table cell and nothing
// else (the first cell after the row label in the table that has the header);
// a "chrome" change replaces only the page's 下一篇 link; a "new" page 404s on
// night 1; listing pages and listing data change only by the new entry (which
// comes first; the rest move down, the page count stays 3).
//   trs      cell: 002 行政规范性文件 本年制发件数 7 -> 8
//            chrome: 000 (下一篇 -> 北京市怀柔区教育委员会2024年...)
//            no new entry; listings unchanged
//   hanweb   cell: 003 行政规范性文件 本年制发件数 10 -> 11
//            chrome: 000 (下一篇 -> /art/2025/1/21/art_1234_14209902.html)
//            new: page 001 at /art/2025/6/1/art_1234_14431209.html, dated 2025-06-01
//   gkmlpt   cell: 000 行政规范性文件 本年制发件数 2 -> 3
//            chrome: 002 (下一篇 -> /gkmlpt/content/0/123/post_123488.html)
//            new: page 003 at /gkmlpt/content/0/123/post_123410.html, dated 2025-06-01
//   vsb      cell: 002 一、本年新收政府信息公开申请数量 自然人 24 -> 25
//            chrome: 003 (下一篇 -> /info/1307/13402.htm)
//            new: page 000 at /info/1307/31209.htm, dated 2025-06-01
//   generic  cell: 001 行政规范性文件 本年制发件数 0 -> 1
//            chrome: 000 (下一篇 -> /doc/2025/01/21/4209911.shtml)
//            new: page 002 at /doc/2025/06/01/4431210.shtml, dated 2025-06-01
// Start() fails if any of these edits does not apply exactly.
//
// Stored pages carry ETag (quoted hash of the body) and Last-Modified (fixed per
// page and night); a matching If-None-Match (or, without one, an identical
// If-Modified-Since) gets 304 Not Modified.
//
// Request log format (the file is truncated by Start()), one line per response whose
// write completed, flushed per line:
//   <start_epoch_us> <end_epoch_us> <method> <target> <status> <body_bytes> <host>
// start = the request was fully read; end = the response write completed (so the
// configured latency is included); body_bytes = body bytes sent (0 for HEAD and 304;
// for /hostile/truncated the bytes actually sent); host = the local address the
// request came to (e.g. 127.0.0.2). /hostile/reset is logged with status 0.
// Responses cut short by Stop() or a client disconnect are not logged.

#ifndef NIANBAO_SIM_PORTAL_SIMULATOR_H_
#define NIANBAO_SIM_PORTAL_SIMULATOR_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace nianbao::sim {

struct SimulatorOptions {
  // Address of the trs site. Keep it on loopback. The other families always
  // listen on 127.0.0.2 ... 127.0.0.6, the second rendering on 127.0.0.7 ... 127.0.0.19.
  std::string bind_address = "127.0.0.1";
  // Port every host listens on; 0 = let the kernel pick a port free on
  // bind_address (retried a few times if it is taken on another address).
  uint16_t port = 0;
  // Which night of the site to serve at start (1 or 2). See SetNight().
  int night = 1;
  // Delay before each response, on an async timer: it never blocks other connections.
  int latency_ms = 0;
  // Where to append the request log (format above); empty = no log.
  std::string request_log_path;
  // Pages hidden from the start, each "<address><path-with-query>" (see Hide()).
  std::vector<std::string> hide;
  // The benchmark farm: N more hosts 127.0.1.1 ... 127.0.1.N serving /bulk/ (0..254).
  int farm_hosts = 0;
  // > 0: a connection's (close_after+1)-th request is read, then the connection is
  // closed without an answer (on every host).
  int close_after = 0;
};

// A PortalSimulator is safe for concurrent use from multiple threads: every
// public method may be called from any thread.
class PortalSimulator {
 public:
  // What is served at one path of one host.
  struct Page {
    // The path, with the query for pages told apart by it ("/list?page=2").
    std::string path;
    // "listing" (an HTML listing page) | "listing-data" (the XML or JSON behind a
    // script-driven listing) | "report" | "lookalike" | "attachment" (the PDF) |
    // "robots" | "hostile" (an endpoint of the hostile host).
    std::string kind;
    // The embedded page it serves ("000".."004", "lookalike", "hongze-2024.pdf"),
    // empty for generated pages.
    std::string seed;
    // The title listings show for it (empty for listings and robots.txt).
    std::string title;
    // How night 2 differs: "" (not at all) | "new" (404 on night 1; a seed
    // page with one synthetic sentence of its own, so a report of its own) | "cell" |
    // "chrome" | "listing" (see the header comment).
    std::string night2;
    // The family ("trs", "hanweb", ...) and the address of its host.
    std::string family;
    std::string host;
  };

  // The truth about one portal (a 年报 column on one host), as /__sim/manifest
  // serves it.
  struct Portal {
    std::string rendering = "";  // "a" (the first rendering) | "b" (the second)
    std::string name = "", family = "", variant = "";
    std::string address = "";  // its host
    std::string start = "";    // path, query and fragment of the start URL a user configures
    struct Entry {
      std::string target;  // path and query on the host
      std::string title;   // the full title as listed
      std::string kind;    // "report" | "lookalike"
      int year = 0;        // the year the title names (0: none)
      int night = 1;       // 1: both nights; 2: new on night 2
    };
    struct Listing {
      std::string target;  // path and query
      std::string method = "GET";
      std::string body;    // the form body of a POST
      int night = 1;       // 1: both nights; 2: only on night 2
    };
    std::vector<Entry> entries = {};
    std::vector<Listing> listings = {};
  };

  // Builds the site in memory. Building errors are reported by Start().
  explicit PortalSimulator(SimulatorOptions options);
  // Stop()s.
  ~PortalSimulator();

  PortalSimulator(const PortalSimulator&) = delete;
  PortalSimulator& operator=(const PortalSimulator&) = delete;

  // Binds every host and starts serving on a background thread. Returns true
  // on success. On failure (site could not be built, bad options, a bind
  // failed) stores a message in *error (if error is not null) and returns false.
  // REQUIRES: not already started.
  bool Start(std::string* error);

  // The port actually listened on (by every host); 0 before a successful Start().
  uint16_t port() const;
  // "http://<bind_address>:<port>": the trs host.
  std::string base_url() const;
  // base_url() + "/zwgk/zfxxgknb/index.shtml": the trs column's first listing page.
  std::string column_url() const;
  // The same for a family ("trs", "hanweb", "gkmlpt", "vsb", "generic",
  // "hostile"): "http://127.0.0.2:<port>" and its first listing page (table
  // above). Empty for an unknown family.
  std::string base_url(const std::string& family) const;
  std::string column_url(const std::string& family) const;
  // The families, in address order.
  static std::vector<std::string> Families();

  // Switches the night served from the next response on. Values other than
  // 1 and 2 are ignored.
  void SetNight(int night);
  int night() const;

  // Closes the listeners and every open connection, lets handlers finish, and
  // joins the server thread. Idempotent; safe to call without Start().
  void Stop();

  // The pages served, host by host in Families() order; per host listings
  // first, then listing data, then the rest in listing order, robots.txt last.
  // Night-2-only pages are included (night2 == "new"). Available before
  // Start(); empty if the site could not be built.
  std::vector<Page> Manifest() const;
  // The pages of one family's host.
  std::vector<Page> Manifest(const std::string& family) const;

  // Every portal: the first rendering's five (trs ... generic), then the
  // second rendering's, in address order. Available before Start().
  std::vector<Portal> Portals() const;
  // The /__sim/manifest JSON: the port listened on, or before Start()
  // options.port; if that is 0 the URLs carry the literal "{port}".
  std::string ManifestJson() const;
  // From the next request on, the page at target (path and query, exactly as
  // requested) of the host at address answers 404. ClearHidden() undoes every Hide().
  void Hide(const std::string& address, const std::string& target);
  void ClearHidden();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nianbao::sim

#endif  // NIANBAO_SIM_PORTAL_SIMULATOR_H_
