// The small value rules of `formation import`: how a value is written into
// TOML and into a systemd env file, and the app name a directory gives.
// (Which variables are secret: formation/secrets.hpp.)
#include <cstdio>

#include "import/import.hpp"

namespace formation {

std::string toml_string(std::string_view s) {
    bool control = false;
    for (char c : s) control = control || static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
    // A literal string reads as written when it can hold the value.
    if (!control && s.find('\'') == std::string_view::npos &&
        (s.find('"') != std::string_view::npos || s.find('\\') != std::string_view::npos))
        return "'" + std::string(s) + "'";
    std::string out = "\"";
    for (char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\r': out += "\\r"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
                out += buf;
            } else {
                out += c;
            }
        }
    }
    return out + "\"";
}

// systemd's EnvironmentFile= reader (env-file.c): inside double quotes a
// backslash escapes ", \, ` and $, and newlines are part of the value.
std::string env_file_line(std::string_view name, std::string_view value) {
    std::string out(name);
    out += "=\"";
    for (char c : value) {
        if (c == '"' || c == '\\' || c == '`' || c == '$') out += '\\';
        out += c;
    }
    return out + "\"\n";
}

std::optional<std::string> app_name_from_directory(std::string_view dir) {
    std::string out;
    for (char c : dir) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (keep && out.empty() && !(c >= 'a' && c <= 'z')) continue;  // start with a letter
        if (keep)
            out += c;
        else if (!out.empty() && out.back() != '-')
            out += '-';
    }
    if (out.size() > 64) out.resize(64);
    while (!out.empty() && out.back() == '-') out.pop_back();
    if (out.empty()) return std::nullopt;
    return out;
}

}  // namespace formation
