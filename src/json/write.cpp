#include <cstdio>

#include "json/json.hpp"
#include "text/utf8.hpp"

namespace formation::json {

namespace {

void append_escaped_ascii(std::string& out, char c) {
    switch (c) {
        case '"': out += "\\\""; return;
        case '\\': out += "\\\\"; return;
        case '\n': out += "\\n"; return;
        case '\r': out += "\\r"; return;
        case '\t': out += "\\t"; return;
        case '\b': out += "\\b"; return;
        case '\f': out += "\\f"; return;
        default: break;
    }
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(u));
        out += buf;
    } else {
        out += c;
    }
}

}  // namespace

std::string quote(std::string_view s) {
    std::string out = "\"";
    out.reserve(s.size() + 2);
    for (std::size_t i = 0; i < s.size();) {
        if (static_cast<unsigned char>(s[i]) < 0x80) {
            append_escaped_ascii(out, s[i++]);
        } else if (std::size_t n = utf8::sequence_length(s, i)) {
            out.append(s.substr(i, n));
            i += n;
        } else {
            out += "\\ufffd";
            ++i;
        }
    }
    out += '"';
    return out;
}

void Writer::before_value() {
    if (after_key_) after_key_ = false;
    else if (need_comma_) out_ += ',';
    need_comma_ = true;
}

Writer& Writer::object() {
    before_value();
    out_ += '{';
    need_comma_ = false;
    return *this;
}

Writer& Writer::end_object() {
    out_ += '}';
    need_comma_ = true;
    return *this;
}

Writer& Writer::array() {
    before_value();
    out_ += '[';
    need_comma_ = false;
    return *this;
}

Writer& Writer::end_array() {
    out_ += ']';
    need_comma_ = true;
    return *this;
}

Writer& Writer::key(std::string_view k) {
    before_value();
    out_ += quote(k);
    out_ += ':';
    after_key_ = true;
    return *this;
}

Writer& Writer::string(std::string_view s) {
    before_value();
    out_ += quote(s);
    return *this;
}

Writer& Writer::uint(std::uint64_t n) {
    before_value();
    out_ += std::to_string(n);
    return *this;
}

Writer& Writer::integer(std::int64_t n) {
    before_value();
    out_ += std::to_string(n);
    return *this;
}

Writer& Writer::boolean(bool b) {
    before_value();
    out_ += b ? "true" : "false";
    return *this;
}

Writer& Writer::null() {
    before_value();
    out_ += "null";
    return *this;
}

Writer& Writer::raw(std::string_view json) {
    before_value();
    out_ += json;
    return *this;
}

namespace {

void write_value(Writer& w, const Value& v) {
    using K = Value::Kind;
    switch (v.kind) {
        case K::null: w.null(); return;
        case K::boolean: w.boolean(v.boolean); return;
        case K::number: w.raw(v.string); return;
        case K::string: w.string(v.string); return;
        case K::array:
            w.array();
            for (const auto& e : v.array) write_value(w, e);
            w.end_array();
            return;
        case K::object:
            w.object();
            for (std::size_t i = 0; i < v.keys.size(); ++i) {
                w.key(v.keys[i]);
                write_value(w, v.values[i]);
            }
            w.end_object();
            return;
    }
}

}  // namespace

std::string write(const Value& v) {
    Writer w;
    write_value(w, v);
    return w.text();
}

}  // namespace formation::json
