// Which environment variables hold secrets: the parser's lint warns when
// formation.toml inlines one, and `formation import` keeps them out of it.
#pragma once

#include <string_view>

namespace formation {

// A name ending in _KEY or _PASS, or containing SECRET, PASSWORD, PASSWD,
// TOKEN or CREDENTIAL (any case), or a value with a URL that carries
// credentials (scheme://user:password@host, scheme://token@host).
bool looks_secret(std::string_view name, std::string_view value);

}  // namespace formation
