// sim/rendering_b_gkmlpt.cc: the second rendering's Guangdong gkmlpt portals.
//
//   127.0.0.12  gkmlpt-tree  /gkmlpt/index: window._CONFIG = {"SID":"755041", "TREE":[...],
//               "SERVICE_AREA_ID":...} with quoted keys; the 年报 category
//               (政府信息公开年报, id 2862) sits at depth 3 of TREE and is configured
//               WITHOUT a fragment (find it by name). API
//               /gkmlpt/api/all/2862?page=N&sid=755041, 20 articles a page, page 0 and
//               page 1 the same batch, pages past the end an empty list;
//               {"classify": {"post_count": N}, "total": N, "articles": [...]}.
//   127.0.0.13  gkmlpt-dept  a department's gkmlpt under /qkjj/: configured as
//               /qkjj/gkmlpt/index#2845 (the fragment names the category); _CONFIG with
//               unquoted keys and single-quoted values; API
//               /qkjj/gkmlpt/api/all/2845?page=N&sid=755325, 100 a page (one page),
//               only classify.post_count.
// On both, one article is only an attachment: "url": "" and attachment[0].url the
// PDF report (the embedded real PDF); the other articles' urls are absolute.
//
// Shapes from /work/notes/real-listings.md §3 (no verbatim _CONFIG was found: the
// config follows what real crawlers match); ids, names and titles are synthetic.

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "sim/rendering_b.h"

namespace nianbao::sim::internal {
namespace {

struct GkmlptPortal {
  const char* name;
  const char* variant;
  const char* address;
  const char* mount;  // "" or "/qkjj"
  const char* sid;
  int category;
  const char* category_name;
  const char* site;
  int per_page;
  bool quoted_keys;  // _CONFIG keys quoted (JSON-like) or not
  bool with_total;   // a top-level "total" besides classify.post_count
  bool fragment;     // the start URL names the category by fragment
  EntryPlan plan;
};

// The TREE: the category at depth 3 (quoted) or 2 (department), beside others.
std::string Tree(const GkmlptPortal& p, size_t count) {
  const std::string q = p.quoted_keys ? "\"" : "";
  const std::string v = p.quoted_keys ? "\"" : "'";
  auto node = [&](int id, const std::string& name, const std::string& children, size_t posts) {
    return "{" + q + "id" + q + ":" + std::to_string(id) + "," + q + "name" + q + ":" + v + name + v +
           "," + q + "children" + q + ":[" + children + "]," + q + "jump_url" + q + ":" + v + v + "," +
           q + "post_count" + q + ":" + std::to_string(posts) + "}";
  };
  const std::string cat = node(p.category, p.category_name, "", count);
  if (!p.quoted_keys)
    return "[" + node(2840, "政务公开", node(2843, "部门文件", "", 12) + "," + cat, 12 + count) + "," +
           node(2848, "其他", "", 3) + "]";
  return "[" + node(2850, "政府信息公开指南", "", 1) + "," + node(2851, "政府信息公开制度", "", 3) + "," +
         node(2852, "法定主动公开内容",
              node(2855, "机构职能", "", 6) + "," +
                  node(2858, "政府信息公开",
                       node(2861, "政府信息公开工作要点", "", 4) + "," + cat, 4 + count),
              10 + count) +
         "," + node(2870, "其他", "", 2) + "]";
}

std::string Index(const GkmlptPortal& p, size_t count) {
  const std::string m = p.mount;
  std::string config;
  if (p.quoted_keys)
    config = "{\"SID\":\"" + std::string(p.sid) + "\",\"SITE_NAME\":\"" + p.site +
             "\",\"SITE_URL\":\"" + std::string(kOriginToken) + "\",\"TREE\":" + Tree(p, count) +
             ",\"SERVICE_AREA_ID\":\"440307\",\"IS_DEPT\":false}";
  else
    config = "{SID:'" + std::string(p.sid) + "', SITE_NAME:'" + p.site + "', DEPT_PATH:'" + m +
             "', TREE:" + Tree(p, count) + ", SERVICE_AREA_ID:'440307'}";
  return "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n<title>政府信息公开目录_" +
         std::string(p.site) + "</title>\n<link href=\"" + m +
         "/gkmlpt/gkml/pc/css/app.4d1f2b7e.css\" rel=\"stylesheet\">\n</head>\n<body>\n"
         "<!-- synthetic gkmlpt index: nianbao-sim second rendering -->\n"
         "<noscript><strong>请开启JavaScript后浏览本页面</strong></noscript>\n<div id=\"app\"></div>\n"
         "<script>\nwindow._CONFIG = " + config + ";\n</script>\n"
         "<script src=\"" + m + "/gkmlpt/gkml/pc/js/chunk-vendors.8e1b1f0a.js\"></script>\n"
         "<script src=\"" + m + "/gkmlpt/gkml/pc/js/chunk-common.c1553651.js\"></script>\n"
         "<script src=\"" + m + "/gkmlpt/gkml/pc/js/app.5a2f3c1d.js\"></script>\n</body>\n</html>\n";
}

std::string Publisher(const BEntry& e, const GkmlptPortal& p) {
  return e.kind == "report" && e.seed != "pdf" ? e.agency : p.site;
}

std::string Article(const BEntry& e, const GkmlptPortal& p) {
  const std::string t = std::to_string(UnixTime(e.date));
  const bool pdf_only = e.seed == "pdf";
  const std::string url = pdf_only ? "" : std::string(kOriginToken) + e.path;
  std::string attachment;
  if (pdf_only)
    attachment = "{\"id\": " + std::to_string(e.id) + ", \"name\": " + JsonEscape(e.title + ".pdf") +
                 ", \"type\": \"pdf\", \"mime\": \"application/pdf\", \"size\": \"240143\", \"url\": " +
                 JsonEscape(std::string(kOriginToken) + e.path) + "}";
  return "{\"id\": " + std::to_string(e.id) + ", \"title\": " + JsonEscape(e.title) +
         ", \"document_number\": \"\", \"publisher\": " + JsonEscape(Publisher(e, p)) +
         ", \"keywords\": \"\", \"date\": " + t + ", \"created_at\": " + t +
         ", \"first_publish_time\": " + t + ", \"display_publish_time\": " + t +
         ", \"identifier\": \"11440307MB2C" + std::to_string(e.id % 100000) + "/" +
         e.date.substr(0, 4) + "-" + std::to_string(e.id % 10000000) +
         "\", \"classify_main_name\": " + JsonEscape(p.category_name) +
         ", \"classify_genre_name\": \"年度报告\", \"classify_theme_name\": \"其他\", \"url\": " +
         JsonEscape(url) + ", \"post_url\": " + JsonEscape(url) + ", \"attachment\": [" + attachment +
         "], \"abstract\": \"\", \"relation\": \"[]\", \"is_expired\": 0, \"is_abolished\": 0}";
}

std::string ApiAnswer(const GkmlptPortal& p, const std::vector<const BEntry*>& list, int page) {
  const std::string count = std::to_string(list.size());
  std::string json = "{\"classify\": {\"id\": " + std::to_string(p.category) + ", \"name\": " +
                     JsonEscape(p.category_name) + ", \"post_count\": " + count + "}, ";
  if (p.with_total) json += "\"total\": " + count + ", ";
  json += "\"articles\": [";
  const char* sep = "";
  for (const BEntry* e : Slice(list, page - 1, p.per_page)) {
    json += sep + Article(*e, p);
    sep = ", ";
  }
  return json + "]}\n";
}

bool BuildOne(BBuild* b, const GkmlptPortal& p, std::string* error) {
  const std::string m = p.mount;
  const std::string index = m + "/gkmlpt/index";
  auto site = b->NewHost({.name = p.name, .family = "gkmlpt", .variant = p.variant, .address = p.address,
                          .start = p.fragment ? index + "#" + std::to_string(p.category) : index});
  PortalInfo& info = b->info();
  std::vector<BEntry> entries = MakeEntries(p.plan);
  const std::string cat = std::to_string(p.category);
  for (size_t i = 0; i < entries.size(); ++i) {  // post ids: <category><serial>, newest highest
    BEntry& e = entries[i];
    e.id = p.category * 1000L + static_cast<long>(entries.size() - i) * 3 + 100;
    const std::string id = std::to_string(e.id);
    e.path = e.seed == "pdf" ? "/attachment/0/" + id.substr(0, 4) + "/" + id + "/" +
                                   std::to_string(5306218 + e.id % 1000) + ".pdf"
                             : m + "/gkmlpt/content/" + cat.substr(0, 1) + "/" + cat + "/post_" + id +
                                   ".html";
  }
  if (!PutEntries(site.get(), entries, p.site, false, error)) return false;
  AddManifestEntries(&info, entries);
  const auto n1 = Visible(entries, 1), n2 = Visible(entries, 2);
  site->Put(index, "text/html; charset=utf-8", Index(p, n1.size()), Index(p, n2.size()));
  AddManifestListing(&info, index);
  // API pages 1..P (page 0 answers as page 1; a page past the end, an empty list).
  const std::string api = m + "/gkmlpt/api/all/" + cat;
  const int pages1 = Pages(n1.size(), p.per_page), pages2 = Pages(n2.size(), p.per_page);
  const std::string sid = p.sid;
  site->KeyBy(api, [sid, pages2](std::string_view query) -> std::string {
    if (PercentDecode(Param(query, "sid")) != sid) return "";
    const std::string page_s = Param(query, "page", "1");
    if (page_s.empty() || page_s.find_first_not_of("0123456789") != std::string::npos) return "";
    const int page = std::max(1, std::atoi(page_s.c_str()));
    return "page=" + std::to_string(std::min(page, pages2 + 1));
  });
  for (int page = 1; page <= pages2 + 1; ++page)
    site->Put(api + "?page=" + std::to_string(page) + "&sid=" + sid, "application/json; charset=utf-8",
              ApiAnswer(p, n1, page), ApiAnswer(p, n2, page));
  for (int page = 1; page <= pages2; ++page)
    AddManifestListing(&info, api + "?page=" + std::to_string(page) + "&sid=" + sid,
                       page <= pages1 ? 1 : 2);
  return true;
}

}  // namespace

bool BuildGkmlptB(BBuild* b, std::string* error) {
  const GkmlptPortal tree{.name = "gkmlpt-tree", .variant = "config-tree-by-name",
                          .address = "127.0.0.12", .mount = "", .sid = "755041", .category = 2862,
                          .category_name = "政府信息公开年报", .site = "示例市坪东区人民政府",
                          .per_page = 20, .quoted_keys = true, .with_total = true, .fragment = false,
                          .plan = {.region = "示例市坪东区", .reports = 38, .lookalikes = 5, .night2 = 1,
                                   .salt = 6, .id_base = 100, .pdf = true}};
  const GkmlptPortal dept{.name = "gkmlpt-dept", .variant = "dept-mount-fragment",
                          .address = "127.0.0.13", .mount = "/qkjj", .sid = "755325",
                          .category = 2845, .category_name = "年度报告",
                          .site = "示例市坪东区科技创新局", .per_page = 100, .quoted_keys = false,
                          .with_total = false, .fragment = true,
                          .plan = {.region = "示例市坪东区", .reports = 21, .lookalikes = 4,
                                   .night2 = 2, .salt = 7, .id_base = 200, .pdf = true}};
  return BuildOne(b, tree, error) && BuildOne(b, dept, error);
}

}  // namespace nianbao::sim::internal
