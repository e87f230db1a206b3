// JSON, read and written in one place: what formation prints with --json
// (check, apply, status, list, logs) and what it reads back from another
// host's formation. Pure: no I/O.
//
// Written JSON is compact (no blanks), UTF-8 always: bytes of a string that
// are not UTF-8 become U+FFFD, control characters are escaped. The reader
// is strict, as what it reads comes from another host: RFC 8259's grammar
// only, strings of valid UTF-8, no duplicate keys, nesting bounded.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace formation::json {

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// ---- writing ----

// `s` as a JSON string literal, quotes included.
std::string quote(std::string_view s);

// Builds one JSON text; commas and colons are its business.
//   Writer w; w.object().key("app").string("shop").key("n").uint(3).end_object();
class Writer {
public:
    Writer& object();
    Writer& end_object();
    Writer& array();
    Writer& end_array();
    Writer& key(std::string_view k);
    Writer& string(std::string_view s);
    Writer& uint(std::uint64_t n);
    Writer& integer(std::int64_t n);
    Writer& boolean(bool b);
    Writer& null();
    Writer& uint_or_null(std::optional<std::uint64_t> n) { return n ? uint(*n) : null(); }
    Writer& string_or_null(const std::optional<std::string>& s) { return s ? string(*s) : null(); }
    // A value already written as JSON (a nested document).
    Writer& raw(std::string_view json);

    const std::string& text() const { return out_; }

private:
    void before_value();
    std::string out_;
    bool need_comma_ = false;
    bool after_key_ = false;
};

// ---- reading ----

struct Value {
    enum class Kind { null, boolean, number, string, array, object } kind = Kind::null;
    bool boolean = false;
    std::string string;  // also a number's text, as written
    std::vector<Value> array;
    // Members in the order written: keys[i] names values[i]. (Two vectors,
    // not a vector of pairs: std::pair may not hold the incomplete Value.)
    std::vector<std::string> keys;
    std::vector<Value> values;

    bool is_null() const { return kind == Kind::null; }
    // The member `key`, or nullptr (also when this is not an object).
    const Value* get(std::string_view key) const;

    // Typed reads that throw Error naming what was expected.
    const Value& at(std::string_view key) const;      // a member that must be there
    const std::string& as_string() const;
    bool as_bool() const;
    std::uint64_t as_uint() const;                     // an integer 0 ≤ n < 2^64
    std::int64_t as_int() const;
    const std::vector<Value>& as_array() const;
};

// The whole of `text` as one value (surrounding blanks allowed); throws Error.
Value parse(std::string_view text);

// `v` written back (numbers as they were written).
std::string write(const Value& v);

}  // namespace formation::json
