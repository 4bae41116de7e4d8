// Guangdong gkmlpt (政府信息公开目录平台): the index /…/gkmlpt/index is a
// script application configured by window._CONFIG = {SID, TREE, …}; the
// 年报 category is named by the configured URL's fragment (#2845) or found in
// TREE by name at any depth; its articles come from
// /…/gkmlpt/api/all/<cat>?page=N&sid=<SID> as JSON ({"total"|"post_count"|
// classify.post_count, "articles": [{title, url, attachment: [{url}]}]}),
// pages 0 and 1 being the same batch. Some sites mount it under a
// department path; an article may be only its attachment.
#include <string>

#include "extract/listing/readers.h"
#include "extract/listing/script.h"
#include "extract/text.h"

namespace nianbao::extract::listing {
namespace {

using Json = nlohmann::ordered_json;

std::string Scalar(const Json& j) {
  if (j.is_string()) return j.get<std::string>();
  if (j.is_number_integer()) return std::to_string(j.get<long>());
  if (j.is_number_unsigned()) return std::to_string(j.get<unsigned long>());
  return "";
}

// The 年报 category in TREE: an exact name first, then a name that says 年报.
struct Found {
  const Json* node = nullptr;
  int rank = 0;  // 2 exact, 1 contains
};

void Search(const Json& j, Found* best, int depth = 0) {
  if (depth > 32) return;
  if (j.is_array()) {
    for (const auto& x : j) Search(x, best, depth + 1);
    return;
  }
  if (!j.is_object()) return;
  const std::string name = MatchKey(j.contains("name") && j["name"].is_string() ? j["name"].get<std::string>() : "");
  int rank = 0;
  for (const char* exact : {"政府信息公开年报", "信息公开年报", "年度报告", "政府信息公开工作年度报告", "政府信息公开年度报告", "年报"}) {
    if (name == exact) rank = 2;
  }
  if (!rank && (name.find("年报") != std::string::npos || name.find("年度报告") != std::string::npos)) rank = 1;
  if (rank > best->rank) *best = {&j, rank};
  for (const char* kids : {"children", "child", "nodes"}) {
    if (j.contains(kids)) Search(j[kids], best, depth + 1);
  }
}

void ReadIndex(ListingBuilder* b) {
  const ListingPage& p = b->page();
  const std::string& js = p.scripts;
  const size_t mount = p.url.path.find("/gkmlpt/");
  if (js.find("_CONFIG") == std::string::npos && (mount == std::string::npos || js.find("SID") == std::string::npos)) return;
  Json config = JsLiteralAfter(js, "_CONFIG").value_or(Json::object());
  std::string sid = config.contains("SID") ? Scalar(config["SID"]) : "";
  if (sid.empty()) sid = StringAfter(js, "SID").value_or("");
  if (sid.empty()) {
    if (auto n = NumberAfter(js, "SID")) sid = std::to_string(*n);
  }
  if (sid.empty()) return;
  b->Family("gkmlpt", "window._CONFIG with SID " + sid);
  // The category: the configured fragment, a category the page names, or TREE by name.
  std::string cat;
  if (ToCount(p.url.fragment)) {
    cat = p.url.fragment;
    b->Evidence("gkmlpt: category " + cat + " from the configured URL's fragment");
  }
  for (const char* key : {"CAT_ID", "CATEGORY_ID", "catId", "cat_id"}) {
    if (!cat.empty()) break;
    if (config.contains(key)) cat = Scalar(config[key]);
    if (cat.empty()) {
      if (auto n = NumberAfter(js, key)) cat = std::to_string(*n);
    }
    if (!cat.empty()) b->Evidence(std::string("gkmlpt: category ") + cat + " from " + key);
  }
  if (cat.empty()) {
    Json tree = config.contains("TREE") ? config["TREE"] : JsLiteralAfter(js, "TREE").value_or(Json());
    Found found;
    Search(tree, &found);
    if (found.node) {
      const Json& node = *found.node;
      cat = node.contains("id") ? Scalar(node["id"]) : "";
      b->Evidence("gkmlpt: category " + cat + " \"" + node.value("name", "") + "\" found in TREE");
      if (node.contains("post_count")) {
        if (auto n = JsonCount(node["post_count"])) b->ClaimEntries(*n, "TREE post_count");
      }
      const std::string jump = node.contains("jump_url") ? Scalar(node["jump_url"]) : "";
      if (!jump.empty()) {
        b->Evidence("gkmlpt: the category jumps to " + jump);
        b->AddSubColumn(Resolve(p, jump));
        return;
      }
    }
  }
  if (cat.empty()) {
    b->Evidence("gkmlpt: no 年报 category (no fragment, none named, none in TREE)");
    return;
  }
  // The API lives where the index does (/<dept>/gkmlpt/…).
  std::string api = config.contains("API") ? Scalar(config["API"]) : "";
  if (api.empty() || api.find("/api/") == std::string::npos) {
    api = (mount == std::string::npos ? std::string() : p.url.path.substr(0, mount)) + "/gkmlpt/api/all/";
  }
  if (api.back() != '/') api += '/';
  b->AddMore(Resolve(p, api + cat + "?page=1&sid=" + sid));
}

void ReadApi(ListingBuilder* b) {
  const ListingPage& p = b->page();
  Json j = Json::parse(p.text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return;
  const Json* articles = j.contains("articles") ? &j["articles"] : nullptr;
  if ((!articles || !articles->is_array()) && j.contains("data") && j["data"].is_object() && j["data"].contains("articles")) {
    articles = &j["data"]["articles"];
  }
  if (!articles || !articles->is_array()) return;
  b->Family("gkmlpt", "API answer, " + std::to_string(articles->size()) + " articles");
  for (const auto& a : *articles) {
    if (!a.is_object()) continue;
    const std::string title = a.contains("title") ? Scalar(a["title"]) : "";
    std::string url;
    for (const char* key : {"url", "post_url", "link"}) {
      if (url.empty() && a.contains(key)) url = Scalar(a[key]);
    }
    if (url.empty() && a.contains("attachment") && a["attachment"].is_array()) {
      // An article that is only its attachment: the attachment is the report.
      for (const auto& att : a["attachment"]) {
        if (att.is_object() && att.contains("url") && !Scalar(att["url"]).empty()) {
          url = Scalar(att["url"]);
          break;
        }
      }
    }
    if (!url.empty()) b->AddEntry(Resolve(p, url), title, "");
  }
  long total = 0;
  for (const Json* holder : {&j, j.contains("classify") ? &j["classify"] : nullptr, j.contains("data") ? &j["data"] : nullptr}) {
    if (!holder || !holder->is_object()) continue;
    for (const char* key : {"total", "post_count", "totalCount", "count"}) {
      if (holder->contains(key)) {
        if (auto n = JsonCount((*holder)[key])) {
          if (*n > total) total = *n;
        }
      }
    }
  }
  if (total > 0) b->ClaimEntries(total, "API total/post_count " + std::to_string(total));
  const long per_page = static_cast<long>(articles->size());
  const long current = ToCount(ParamOf(p.url.query, "page")).value_or(1);
  if (total <= 0 || per_page <= 0) return;
  const std::string url = p.url.ToString();
  // The page size is read off the first page only (a later one may be the
  // short last page): page 1 (or 0, the same batch) names every page.
  if (current > 1) return;
  const long pages = std::min<long>((total + per_page - 1) / per_page, 500);
  b->ClaimPages(pages, std::to_string(total) + " articles, " + std::to_string(per_page) + " a page");
  // Pages 1…N (page 0 is page 1 again).
  for (long n = 1; n <= pages; ++n) b->AddMore(WithParam(url, "page", std::to_string(n)));
}

}  // namespace

void ReadGkmlpt(ListingBuilder* b) {
  const ListingPage& p = b->page();
  if (p.kind == ListingPage::Kind::kJson) ReadApi(b);
  if (p.kind == ListingPage::Kind::kHtml) ReadIndex(b);
}

}  // namespace nianbao::extract::listing
