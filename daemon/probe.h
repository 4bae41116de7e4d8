// `nianbao probe URL`: an operator's look at one 年报 column before it goes
// into a portal list. Fetches the column politely (robots.txt, the crawl
// delays of -c FILE or the defaults) and the rest of its listing up to a
// number of pages, and says what the crawler would make of it: the family
// and why, how the page count was read, its sub-columns, entries claimed vs
// found, the first entries with their verdict, and the config entry to paste.
#ifndef NIANBAO_DAEMON_PROBE_H_
#define NIANBAO_DAEMON_PROBE_H_

#include <nlohmann/json.hpp>
#include <string>

#include "config/options.h"

namespace nianbao {

struct ProbeRequest {
  std::string url;          // the column, as it would be configured (a fragment kept)
  std::string cms = "auto";  // the cms: hint to try
  int max_pages = 20;       // listing requests to read at most
};

// The probe's findings as JSON (see docs/crawling.md "nianbao probe").
// Never fails: fetch errors are part of the findings.
nlohmann::ordered_json Probe(const CrawlOptions& crawl, const ProbeRequest& request);

// The findings for a terminal.
std::string ProbeText(const nlohmann::ordered_json& findings);

}  // namespace nianbao

#endif  // NIANBAO_DAEMON_PROBE_H_
