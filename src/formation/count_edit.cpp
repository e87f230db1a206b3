#include "formation/count_edit.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "formation/parse_internal.hpp"
#include "formation/values.hpp"

namespace formation {

namespace {

struct Edit {
    std::size_t offset;
    std::size_t erase;
    std::string insert;
};

class Lines {
public:
    explicit Lines(std::string_view text) : text_(text) {
        starts_.push_back(0);
        for (std::size_t i = 0; i < text.size(); ++i)
            if (text[i] == '\n') starts_.push_back(i + 1);
    }
    std::size_t start(std::size_t line) const { return starts_.at(line - 1); }
    // The line's text without its line ending.
    std::string_view text(std::size_t line) const {
        std::size_t b = start(line);
        std::size_t e = line < starts_.size() ? starts_[line] - 1 : text_.size();
        if (e > b && text_[e - 1] == '\r') --e;
        return text_.substr(b, e - b);
    }
    bool has_next(std::size_t line) const { return line < starts_.size(); }
    std::string ending(std::size_t line) const {
        std::size_t e = line < starts_.size() ? starts_[line] - 1 : text_.size();
        return e > start(line) && text_[e - 1] == '\r' ? "\r\n" : "\n";
    }

private:
    std::string_view text_;
    std::vector<std::size_t> starts_;
};

void skip_ws(std::string_view& s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
}

// One key part: bare, "basic" (without escapes) or 'literal'. Escaped keys
// are rare enough that refusing them beats decoding them here.
std::optional<std::string_view> key_part(std::string_view& s) {
    if (!s.empty() && (s.front() == '"' || s.front() == '\'')) {
        auto close = s.find(s.front(), 1);
        if (close == std::string_view::npos) return std::nullopt;
        auto part = s.substr(1, close - 1);
        if (s.front() == '"' && part.find('\\') != std::string_view::npos) return std::nullopt;
        s.remove_prefix(close + 1);
        return part;
    }
    std::size_t n = 0;
    while (n < s.size() && (std::isalnum(static_cast<unsigned char>(s[n])) || s[n] == '_' || s[n] == '-')) ++n;
    if (n == 0) return std::nullopt;
    auto part = s.substr(0, n);
    s.remove_prefix(n);
    return part;
}

// True when `line` is exactly the standard table header [process.TYPE].
bool is_header_for(std::string_view line, std::string_view type) {
    if (line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
    skip_ws(line);
    if (line.substr(0, 1) != "[" || line.substr(0, 2) == "[[") return false;
    line.remove_prefix(1);
    std::vector<std::string_view> parts;
    for (;;) {
        skip_ws(line);
        auto part = key_part(line);
        if (!part) return false;
        parts.push_back(*part);
        skip_ws(line);
        if (line.substr(0, 1) == "]") break;
        if (line.substr(0, 1) != ".") return false;
        line.remove_prefix(1);
    }
    return parts.size() == 2 && parts[0] == "process" && parts[1] == type;
}

// The offset and length of the value on a `count = VALUE` line.
std::optional<std::pair<std::size_t, std::size_t>> count_value(std::string_view line) {
    const std::size_t size = line.size();
    skip_ws(line);
    auto key = key_part(line);
    if (!key || *key != "count") return std::nullopt;
    skip_ws(line);
    if (line.substr(0, 1) != "=") return std::nullopt;
    line.remove_prefix(1);
    skip_ws(line);
    std::size_t n = 0;
    while (n < line.size() && line[n] != ' ' && line[n] != '\t' && line[n] != '#') ++n;
    if (n == 0) return std::nullopt;
    return std::make_pair(size - line.size(), n);
}

[[noreturn]] void refuse(const toml::node& at, const std::string& path, std::string message) {
    const auto& b = at.source().begin;
    throw FormationError(Diagnostic{{path, static_cast<int>(b.line), static_cast<int>(b.column)}, std::move(message)});
}

Edit edit_for(const toml::table& proc, std::string_view type, int count, const Lines& lines,
              const std::string& path) {
    const std::string label = "[process." + std::string(type) + "]";
    const std::string manual = "; change its count by hand, or rewrite it as a " + label + " table";
    if (proc.is_inline()) refuse(proc, path, label + " is an inline table, which scale cannot edit safely" + manual);
    const std::size_t header = proc.source().begin.line;
    if (header == 0 || !is_header_for(lines.text(header), type))
        refuse(proc, path, label + " is defined with dotted keys, not a " + label + " header" + manual);
    const std::string value = std::to_string(count);
    const toml::node* node = proc.get("count");
    if (!node) {
        std::size_t at = lines.has_next(header) ? lines.start(header + 1) : lines.start(header) + lines.text(header).size();
        std::string eol = lines.ending(header);
        return lines.has_next(header) ? Edit{at, 0, "count = " + value + eol} : Edit{at, 0, eol + "count = " + value};
    }
    const std::size_t line = node->source().begin.line;
    auto span = line > header ? count_value(lines.text(line)) : std::nullopt;
    if (!node->is_integer() || !span) refuse(*node, path, "count of " + label + " is not written as count = N" + manual);
    return Edit{lines.start(line) + span->first, span->second, value};
}

SourcePos app_pos(const toml::table& root, const std::string& path) {
    const toml::node* app = root.get("app");
    if (!app) return {path, 0, 0};
    return {path, static_cast<int>(app->source().begin.line), static_cast<int>(app->source().begin.column)};
}

// Re-reads the result: an edit that did not land where we meant is a bug
// here, and must not be written over the user's file.
void verify(std::string_view out, const std::string& path, const std::map<std::string, int>& wanted) {
    const toml::table root = detail::parse_toml(out, path);
    for (const auto& [type, count] : wanted) {
        auto now = root["process"][type]["count"].value<std::int64_t>();
        if (!now || *now != count)
            throw FormationError(Diagnostic{{path, 0, 0}, "could not set the count of " + quoted(type) +
                                                              " in place; change it by hand"});
    }
}

}  // namespace

std::string set_counts(std::string_view text, const std::string& path,
                       const std::vector<std::pair<std::string, int>>& counts) {
    const toml::table root = detail::parse_toml(text, path);
    const toml::table* processes = root["process"].as_table();
    std::map<std::string, int> wanted;  // the last TYPE=N for a type wins
    for (const auto& [type, count] : counts) {
        if (!processes || !(*processes)[type].as_table())
            throw FormationError(Diagnostic{app_pos(root, path), "no process type " + quoted(type) + " in " + path});
        if (count < 0 || count > 1000)
            throw FormationError(Diagnostic{app_pos(root, path), "count for " + type +
                                                                     " must be between 0 and 1000 (got " +
                                                                     std::to_string(count) + ")"});
        wanted[type] = count;
    }
    const Lines lines(text);
    std::vector<Edit> edits;
    for (const auto& [type, count] : wanted) edits.push_back(edit_for(*(*processes)[type].as_table(), type, count, lines, path));
    std::sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) { return a.offset > b.offset; });
    std::string out(text);
    for (const auto& e : edits) out.replace(e.offset, e.erase, e.insert);
    verify(out, path, wanted);
    return out;
}

}  // namespace formation
