#include "platform/metrics/query_gauge.h"

#include <algorithm>
#include <map>

namespace dps::platform {

QueryGauge::QueryGauge(prometheus::Registry& registry, const std::string& name,
                       const std::string& help, std::string label,
                       std::vector<std::string> known_values)
    : family_(prometheus::BuildGauge().Name(name).Help(help).Register(registry)),
      label_(std::move(label)),
      values_(std::move(known_values)) {
  for (const std::string& value : values_) family_.Add({{label_, value}}).Set(0);
}

void QueryGauge::Set(const std::map<std::string, double>& now) {
  for (const auto& [value, number] : now) {
    if (std::find(values_.begin(), values_.end(), value) == values_.end()) {
      values_.push_back(value);
    }
  }
  for (const std::string& value : values_) {
    auto it = now.find(value);
    family_.Add({{label_, value}}).Set(it == now.end() ? 0 : it->second);
  }
}

}  // namespace dps::platform
