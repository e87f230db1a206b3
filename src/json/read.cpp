#include <charconv>

#include "json/json.hpp"
#include "text/utf8.hpp"

namespace formation::json {

namespace {

constexpr int max_depth = 64;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

class Reader {
public:
    explicit Reader(std::string_view t) : t_(t) {}

    Value document() {
        Value v = value(0);
        blanks();
        if (at_ != t_.size()) fail("trailing characters");
        return v;
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw Error("invalid JSON at byte " + std::to_string(at_) + ": " + what);
    }
    void blanks() {
        while (at_ < t_.size() && (t_[at_] == ' ' || t_[at_] == '\t' || t_[at_] == '\n' || t_[at_] == '\r')) ++at_;
    }
    bool eat(char ch) {
        blanks();
        if (at_ < t_.size() && t_[at_] == ch) return ++at_, true;
        return false;
    }
    void expect(char ch) {
        if (!eat(ch)) fail(std::string("expected '") + ch + "'");
    }
    bool word(std::string_view w) {
        if (t_.substr(at_, w.size()) != w) return false;
        at_ += w.size();
        return true;
    }

    Value value(int depth) {
        if (depth > max_depth) fail("nested too deep");
        blanks();
        if (at_ >= t_.size()) fail("unexpected end");
        Value v;
        char ch = t_[at_];
        if (ch == '{') {
            ++at_;
            v.kind = Value::Kind::object;
            if (eat('}')) return v;
            do {
                blanks();
                std::string key = string();
                if (v.get(key)) fail("duplicate key " + quote(key));
                expect(':');
                Value member = value(depth + 1);
                v.keys.push_back(std::move(key));
                v.values.push_back(std::move(member));
            } while (eat(','));
            expect('}');
        } else if (ch == '[') {
            ++at_;
            v.kind = Value::Kind::array;
            if (eat(']')) return v;
            do v.array.push_back(value(depth + 1));
            while (eat(','));
            expect(']');
        } else if (ch == '"') {
            v.kind = Value::Kind::string;
            v.string = string();
        } else if (word("true")) {
            v.kind = Value::Kind::boolean;
            v.boolean = true;
        } else if (word("false")) {
            v.kind = Value::Kind::boolean;
        } else if (word("null")) {
        } else if (ch == '-' || is_digit(ch)) {
            v.kind = Value::Kind::number;
            v.string = number();
        } else {
            fail("unexpected character");
        }
        return v;
    }

    // -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
    std::string number() {
        std::size_t start = at_;
        auto digits = [this] {
            std::size_t from = at_;
            while (at_ < t_.size() && is_digit(t_[at_])) ++at_;
            if (at_ == from) fail("bad number");
        };
        if (t_[at_] == '-') ++at_;
        if (at_ < t_.size() && t_[at_] == '0') ++at_;
        else digits();
        if (at_ < t_.size() && t_[at_] == '.') {
            ++at_;
            digits();
        }
        if (at_ < t_.size() && (t_[at_] == 'e' || t_[at_] == 'E')) {
            ++at_;
            if (at_ < t_.size() && (t_[at_] == '+' || t_[at_] == '-')) ++at_;
            digits();
        }
        return std::string(t_.substr(start, at_ - start));
    }

    unsigned hex4() {
        if (at_ + 4 > t_.size()) fail("short \\u escape");
        unsigned cp = 0;
        for (int i = 0; i < 4; ++i) {
            char c = t_[at_++];
            cp <<= 4;
            if (c >= '0' && c <= '9') cp |= unsigned(c - '0');
            else if (c >= 'a' && c <= 'f') cp |= unsigned(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') cp |= unsigned(c - 'A' + 10);
            else fail("bad \\u escape");
        }
        return cp;
    }

    // After "\u": a code point; a surrogate pair as one, a lone surrogate as U+FFFD.
    unsigned escaped_code_point() {
        unsigned cp = hex4();
        if (cp < 0xD800 || cp >= 0xE000) return cp;
        if (cp >= 0xDC00 || t_.substr(at_, 2) != "\\u") return 0xFFFD;
        std::size_t back = at_;
        at_ += 2;
        unsigned low = hex4();
        if (low >= 0xDC00 && low < 0xE000) return 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        at_ = back;  // not a pair: the next escape stands on its own
        return 0xFFFD;
    }

    std::string string() {
        if (at_ >= t_.size() || t_[at_] != '"') fail("expected a string");
        ++at_;
        std::string out;
        for (;;) {
            if (at_ >= t_.size()) fail("unterminated string");
            char c = t_[at_];
            if (c == '"') {
                ++at_;
                return out;
            }
            if (static_cast<unsigned char>(c) < 0x20) fail("control character in a string");
            if (static_cast<unsigned char>(c) >= 0x80) {
                std::size_t n = utf8::sequence_length(t_, at_);
                if (n == 0) fail("not UTF-8");
                out.append(t_.substr(at_, n));
                at_ += n;
                continue;
            }
            ++at_;
            if (c != '\\') {
                out += c;
                continue;
            }
            if (at_ >= t_.size()) fail("unterminated escape");
            char e = t_[at_++];
            switch (e) {
                case '"': case '\\': case '/': out += e; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'u': utf8::append(out, escaped_code_point()); break;
                default: fail("bad escape");
            }
        }
    }

    std::string_view t_;
    std::size_t at_ = 0;
};

const char* kind_name(Value::Kind k) {
    switch (k) {
        case Value::Kind::null: return "null";
        case Value::Kind::boolean: return "a boolean";
        case Value::Kind::number: return "a number";
        case Value::Kind::string: return "a string";
        case Value::Kind::array: return "an array";
        case Value::Kind::object: return "an object";
    }
    return "?";
}

[[noreturn]] void wrong_kind(const Value& v, const char* expected) {
    throw Error(std::string("expected ") + expected + ", got " + kind_name(v.kind));
}

}  // namespace

const Value* Value::get(std::string_view key) const {
    for (std::size_t i = 0; i < keys.size(); ++i)
        if (keys[i] == key) return &values[i];
    return nullptr;
}

const Value& Value::at(std::string_view key) const {
    if (kind != Kind::object) wrong_kind(*this, "an object");
    if (const Value* v = get(key)) return *v;
    throw Error("no key " + quote(key));
}

const std::string& Value::as_string() const {
    if (kind != Kind::string) wrong_kind(*this, "a string");
    return string;
}

bool Value::as_bool() const {
    if (kind != Kind::boolean) wrong_kind(*this, "a boolean");
    return boolean;
}

std::uint64_t Value::as_uint() const {
    if (kind != Kind::number) wrong_kind(*this, "a number");
    std::uint64_t n = 0;
    auto [end, ec] = std::from_chars(string.data(), string.data() + string.size(), n);
    if (ec != std::errc() || end != string.data() + string.size())
        throw Error("expected an integer from 0 to 2^64-1, got " + string);
    return n;
}

std::int64_t Value::as_int() const {
    if (kind != Kind::number) wrong_kind(*this, "a number");
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(string.data(), string.data() + string.size(), n);
    if (ec != std::errc() || end != string.data() + string.size())
        throw Error("expected an integer from -2^63 to 2^63-1, got " + string);
    return n;
}

const std::vector<Value>& Value::as_array() const {
    if (kind != Kind::array) wrong_kind(*this, "an array");
    return array;
}

Value parse(std::string_view text) { return Reader(text).document(); }

}  // namespace formation::json
