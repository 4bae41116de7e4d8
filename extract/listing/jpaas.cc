// Hanweb's newer "jpaas" fronts (Zhejiang and others): the column page names
// its list API in a <script url="…/front/page/build/unit" queryData="{…}">;
// the API answers {"success":true,"data":{"html":"…"}} (read as that HTML by
// page.cc) whose pager div carries count="N" rows="M" (any order, or inside
// queryData="{'rows':'15','count':'386'}"); page k is the same request with
// paramJson={"pageNo":k,"pageSize":M}.
#include <string>

#include "extract/listing/readers.h"
#include "extract/listing/script.h"

namespace nianbao::extract::listing {

void ReadJpaas(ListingBuilder* b) {
  const ListingPage& p = b->page();
  if (p.kind != ListingPage::Kind::kHtml) return;
  // The column page: the API call its script element names.
  for (const auto& attrs : p.pager_attrs) {
    auto url = attrs.find("url");
    auto query = attrs.find("querydata");
    if (url == attrs.end() || query == attrs.end() || url->second.find("/page/build/unit") == std::string::npos) continue;
    auto params = JsLiteral(query->second, query->second.find('{'));
    if (!params || !params->is_object()) continue;
    std::string request = Resolve(p, url->second);
    for (auto it = params->begin(); it != params->end(); ++it) {
      std::string v = it.value().is_string() ? it.value().get<std::string>() : it.value().dump();
      request = WithParam(request, it.key(), FormEncode(v));
    }
    b->Family("jpaas", "list API " + url->second);
    b->AddMore(request);
  }
  // An API answer: its pager says how many pages of `rows` there are.
  if (p.url.path.find("/page/build/unit") == std::string::npos) return;
  long count = 0, rows = 0;
  for (const auto& attrs : p.pager_attrs) {
    auto c = attrs.find("count"), r = attrs.find("rows");
    if (c != attrs.end() && r != attrs.end()) {
      count = ToCount(c->second).value_or(0);
      rows = ToCount(r->second).value_or(0);
    } else if (auto q = attrs.find("querydata"); q != attrs.end()) {
      if (auto j = JsLiteral(q->second, q->second.find('{')); j && j->is_object()) {
        if (j->contains("count")) count = JsonCount((*j)["count"]).value_or(0);
        if (j->contains("rows")) rows = JsonCount((*j)["rows"]).value_or(0);
      }
    }
    if (count > 0 && rows > 0) break;
  }
  if (count <= 0 || rows <= 0) return;
  b->Family("jpaas", "pager count=" + std::to_string(count) + " rows=" + std::to_string(rows));
  const long pages = std::min<long>((count + rows - 1) / rows, 500);
  for (long k = 2; k <= pages; ++k) {
    b->AddMore(WithParam(p.url.ToString(), "paramJson",
                         FormEncode("{\"pageNo\":" + std::to_string(k) + ",\"pageSize\":" + std::to_string(rows) + "}")));
  }
}

}  // namespace nianbao::extract::listing
