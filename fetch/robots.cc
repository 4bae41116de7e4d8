#include "fetch/robots.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace nianbao::fetch {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Does `pattern` ("*" any run, trailing "$" the end) match the start of `path`?
bool Matches(std::string_view pattern, std::string_view path) {
  bool anchored = !pattern.empty() && pattern.back() == '$';
  if (anchored) pattern.remove_suffix(1);
  // Iterative wildcard match with backtracking on the last '*'.
  size_t p = 0, s = 0, star = std::string_view::npos, mark = 0;
  while (s < path.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = s;
    } else if (p < pattern.size() && pattern[p] == path[s]) {
      ++p;
      ++s;
    } else if (p == pattern.size() && !anchored) {
      return true;  // a prefix match
    } else if (star != std::string_view::npos) {
      p = star + 1;
      s = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace

RobotsRules RobotsRules::DisallowAll() {
  RobotsRules r;
  r.disallow_all_ = true;
  return r;
}

RobotsRules RobotsRules::Parse(std::string_view text, std::string_view user_agent) {
  std::string token = Lower(user_agent.substr(0, user_agent.find_first_of("/ (")));
  // Group: its agents, rules and delay. Consecutive User-agent lines share a group.
  struct Group {
    std::vector<std::string> agents;
    std::vector<Rule> rules;
    double delay = 0;
  };
  std::vector<Group> groups;
  bool in_agents = false;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    line = Trim(line.substr(0, line.find('#')));
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string key = Lower(Trim(line.substr(0, colon)));
    std::string value(Trim(line.substr(colon + 1)));
    if (key == "user-agent") {
      if (!in_agents) groups.emplace_back();
      groups.back().agents.push_back(Lower(value));
      in_agents = true;
      continue;
    }
    in_agents = false;
    if (groups.empty()) continue;
    if (key == "allow" || key == "disallow") {
      if (key == "disallow" && value.empty()) continue;  // "Disallow:" allows all
      groups.back().rules.push_back({value, key == "allow"});
    } else if (key == "crawl-delay") {
      groups.back().delay = std::clamp(std::atof(value.c_str()), 0.0, 600.0);
    }
  }
  RobotsRules out;
  const Group* best = nullptr;
  size_t best_len = 0;
  for (const auto& g : groups) {
    for (const auto& a : g.agents) {
      if (a == "*" && !best) best = &g;
      if (a != "*" && !token.empty() && token.find(a) == 0 && a.size() > best_len) {
        best = &g;
        best_len = a.size();
      }
    }
  }
  if (best) {
    out.rules_ = best->rules;
    out.crawl_delay_s_ = best->delay;
  }
  return out;
}

bool RobotsRules::Allowed(std::string_view path) const {
  if (disallow_all_) return false;
  const Rule* winner = nullptr;
  for (const auto& r : rules_) {
    if (!Matches(r.pattern, path)) continue;
    if (!winner || r.pattern.size() > winner->pattern.size() ||
        (r.pattern.size() == winner->pattern.size() && r.allow)) {
      winner = &r;
    }
  }
  return !winner || winner->allow;
}

}  // namespace nianbao::fetch
