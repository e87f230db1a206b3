// Which tool's reading of a Procfile or .env file `formation import` follows
// where foreman and honcho disagree (see the tables in procfile.cpp and
// dotenv.cpp, and IMPORT in formation(1)).
#pragma once

#include <optional>
#include <string_view>

namespace formation {

enum class Dialect { foreman, honcho };

inline std::optional<Dialect> parse_dialect(std::string_view s) {
    if (s == "foreman") return Dialect::foreman;
    if (s == "honcho") return Dialect::honcho;
    return std::nullopt;
}

inline std::string_view dialect_name(Dialect d) { return d == Dialect::foreman ? "foreman" : "honcho"; }

}  // namespace formation
