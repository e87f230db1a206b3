// A formation across hosts (pure): where each process type runs, and the
// share of the formation each host gets. Parsing: parse_hosts.cpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "formation/model.hpp"

namespace formation {

// Why `address` is not an ssh destination formation accepts ("HOST" or
// "USER@HOST"; never anything ssh could read as an option); nullopt when it is.
std::optional<std::string> address_problem(std::string_view address);

// [hosts.NAME]: lowercase letters, digits and "-", starting with a letter.
bool is_valid_host_name(std::string_view name);

// Whether type `p` runs on `host` (a type without hosts runs on every host).
bool runs_on(const ProcessType& p, const std::string& host);

// What `host` runs: the types placed there (with their count on that host),
// no [hosts]. A type placed elsewhere is absent, so applying the share on
// the host stops what ran of it there.
Formation share_of(const Formation& f, const std::string& host);

// The text installed on `host`: the file as written, with a first line
// `host = "NAME"` that makes whoever parses it (the host's generator, its
// formation) see share_of(file, NAME). One truth: every host holds the
// operator's file, and each knows which part is its own.
std::string share_text(const std::string& text, const std::string& host);

}  // namespace formation
