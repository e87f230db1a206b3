#include "compile/fill.hpp"

#include <stdexcept>

namespace formation {

namespace {

const std::string& lookup(const std::map<std::string, std::string>& vars, const std::string& name) {
    auto it = vars.find(name);
    if (it == vars.end()) throw std::logic_error("unit template placeholder @" + name + "@ has no value");
    return it->second;
}

std::string fill_line(std::string_view line, const std::map<std::string, std::string>& vars) {
    std::string out;
    std::size_t i = 0;
    while (i < line.size()) {
        std::size_t at = line.find('@', i);
        std::size_t end = at == std::string_view::npos ? at : line.find('@', at + 1);
        // "@@" (as in "web@@N.service" in a comment) and names with other
        // characters are kept as they are.
        bool placeholder = end != std::string_view::npos && end > at + 1;
        for (std::size_t k = at + 1; placeholder && k < end; ++k) {
            char c = line[k];
            placeholder = (c >= 'A' && c <= 'Z') || c == '_';
        }
        if (!placeholder) {
            std::size_t stop = at == std::string_view::npos ? line.size() : at + 1;
            out += line.substr(i, stop - i);
            i = stop;
            continue;
        }
        out += line.substr(i, at - i);
        out += lookup(vars, std::string(line.substr(at + 1, end - at - 1)));
        i = end + 1;
    }
    return out;
}

}  // namespace

std::string fill_template(std::string_view tpl, const std::map<std::string, std::string>& vars) {
    std::string out;
    std::size_t pos = 0;
    while (pos < tpl.size()) {
        std::size_t nl = tpl.find('\n', pos);
        std::size_t next = nl == std::string_view::npos ? tpl.size() : nl + 1;
        std::string_view line = tpl.substr(pos, (nl == std::string_view::npos ? tpl.size() : nl) - pos);
        bool block = line.size() > 2 && line.front() == '@' && line.back() == '@' &&
                     line.find('@', 1) == line.size() - 1;
        if (block) {
            out += lookup(vars, std::string(line.substr(1, line.size() - 2)));
        } else {
            out += fill_line(line, vars);
            if (nl != std::string_view::npos) out += '\n';
        }
        pos = next;
    }
    return out;
}

}  // namespace formation
