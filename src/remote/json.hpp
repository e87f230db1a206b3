// A small JSON reader for what a remote formation answers (status --json,
// logs --json): objects, arrays, strings, numbers, booleans, null. Pure.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace formation::remote {

class JsonError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct Json {
    enum class Kind { null, boolean, number, string, array, object } kind = Kind::null;
    bool boolean = false;
    double number = 0;
    std::string string;  // also the number's text as written
    std::vector<Json> array;
    // Members in the order written: keys[i] names values[i]. (Two vectors,
    // not a vector of pairs: std::pair may not hold the incomplete Json.)
    std::vector<std::string> keys;
    std::vector<Json> values;

    // The member `key`, or nullptr (also when this is not an object).
    const Json* get(std::string_view key) const;
    // Member `key` as text / unsigned number / bool; `fallback` when absent or another kind.
    std::string text(std::string_view key, std::string fallback = {}) const;
    std::uint64_t count(std::string_view key, std::uint64_t fallback = 0) const;
    bool flag(std::string_view key, bool fallback = false) const;
};

// The whole of `text` as one value (surrounding blanks allowed); throws JsonError.
Json parse_json(std::string_view text);

}  // namespace formation::remote
