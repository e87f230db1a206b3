// The tab-separated records of formation's own state files (the release
// index, the health state): one record per line, fields split at tabs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace formation::host::tsv {

// A field as written: a tab, newline or other control character inside
// becomes '?', so a field can never split a record.
std::string field(const std::string& s);

// A line's fields (one, empty, for an empty line).
std::vector<std::string> split(const std::string& line);

// Decimal digits only (no sign, no space), at most 20 of them; false otherwise.
bool to_u64(const std::string& s, std::uint64_t& v);

}  // namespace formation::host::tsv
