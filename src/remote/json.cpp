#include "remote/json.hpp"

#include <cstdlib>

namespace formation::remote {

namespace {

constexpr int max_depth = 64;

class Reader {
public:
    explicit Reader(std::string_view t) : t_(t) {}

    Json document() {
        Json v = value(0);
        blanks();
        if (at_ != t_.size()) fail("trailing characters");
        return v;
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw JsonError("invalid JSON at byte " + std::to_string(at_) + ": " + what);
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

    Json value(int depth) {
        if (depth > max_depth) fail("nested too deep");
        blanks();
        if (at_ >= t_.size()) fail("unexpected end");
        Json v;
        char ch = t_[at_];
        if (ch == '{') {
            ++at_;
            v.kind = Json::Kind::object;
            if (eat('}')) return v;
            do {
                blanks();
                std::string key = string();
                expect(':');
                Json member = value(depth + 1);
                v.keys.push_back(std::move(key));
                v.values.push_back(std::move(member));
            } while (eat(','));
            expect('}');
        } else if (ch == '[') {
            ++at_;
            v.kind = Json::Kind::array;
            if (eat(']')) return v;
            do v.array.push_back(value(depth + 1));
            while (eat(','));
            expect(']');
        } else if (ch == '"') {
            v.kind = Json::Kind::string;
            v.string = string();
        } else if (word("true") || word("false")) {
            v.kind = Json::Kind::boolean;
            v.boolean = t_[at_ - 1] == 'e' && t_[at_ - 2] == 'u';
        } else if (word("null")) {
        } else if (ch == '-' || (ch >= '0' && ch <= '9')) {
            std::size_t start = at_;
            while (at_ < t_.size() && std::string_view("+-0123456789.eE").find(t_[at_]) != std::string_view::npos) ++at_;
            v.kind = Json::Kind::number;
            v.string = std::string(t_.substr(start, at_ - start));
            char* end = nullptr;
            v.number = std::strtod(v.string.c_str(), &end);
            if (*end) fail("bad number");
        } else {
            fail("unexpected character");
        }
        return v;
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

    static void utf8(std::string& out, unsigned cp) {
        if (cp < 0x80) {
            out += char(cp);
        } else if (cp < 0x800) {
            out += char(0xC0 | (cp >> 6));
            out += char(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += char(0xE0 | (cp >> 12));
            out += char(0x80 | ((cp >> 6) & 0x3F));
            out += char(0x80 | (cp & 0x3F));
        } else {
            out += char(0xF0 | (cp >> 18));
            out += char(0x80 | ((cp >> 12) & 0x3F));
            out += char(0x80 | ((cp >> 6) & 0x3F));
            out += char(0x80 | (cp & 0x3F));
        }
    }

    std::string string() {
        if (at_ >= t_.size() || t_[at_] != '"') fail("expected a string");
        ++at_;
        std::string out;
        for (;;) {
            if (at_ >= t_.size()) fail("unterminated string");
            char c = t_[at_++];
            if (c == '"') return out;
            if (static_cast<unsigned char>(c) < 0x20) fail("control character in a string");
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
                case 'u': {
                    unsigned cp = hex4();
                    if (cp >= 0xD800 && cp < 0xDC00 && t_.substr(at_, 2) == "\\u") {
                        at_ += 2;
                        unsigned low = hex4();
                        cp = (low >= 0xDC00 && low < 0xE000) ? 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00) : 0xFFFD;
                    } else if (cp >= 0xD800 && cp < 0xE000) {
                        cp = 0xFFFD;
                    }
                    utf8(out, cp);
                    break;
                }
                default: fail("bad escape");
            }
        }
    }

    std::string_view t_;
    std::size_t at_ = 0;
};

}  // namespace

const Json* Json::get(std::string_view key) const {
    for (std::size_t i = 0; i < keys.size(); ++i)
        if (keys[i] == key) return &values[i];
    return nullptr;
}

std::string Json::text(std::string_view key, std::string fallback) const {
    const Json* v = get(key);
    return v && v->kind == Kind::string ? v->string : fallback;
}

std::uint64_t Json::count(std::string_view key, std::uint64_t fallback) const {
    const Json* v = get(key);
    if (!v || v->kind != Kind::number || v->number < 0) return fallback;
    return std::strtoull(v->string.c_str(), nullptr, 10);
}

bool Json::flag(std::string_view key, bool fallback) const {
    const Json* v = get(key);
    return v && v->kind == Kind::boolean ? v->boolean : fallback;
}

Json parse_json(std::string_view text) { return Reader(text).document(); }

}  // namespace formation::remote
