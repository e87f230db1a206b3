// [hosts.NAME] tables, the per-type `hosts = [...]` placement and the
// top-level `host = "NAME"` that makes a file one host's share of the
// formation (the copy `formation apply` installs on each host).
#include <algorithm>
#include <set>

#include "formation/hosts.hpp"
#include "formation/parse_internal.hpp"
#include "formation/values.hpp"

namespace formation {

namespace {

bool is_lower_or_digit(char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'); }
bool is_alnum(char ch) { return is_lower_or_digit(ch) || (ch >= 'A' && ch <= 'Z'); }

// A host name, a DNS-style label or an IPv4 address: letters, digits, "."
// and "-", no label starting or ending with "-", no empty label.
bool is_host_name(std::string_view h) {
    if (h.empty() || h.size() > 253) return false;
    std::size_t start = 0;
    for (;;) {
        std::size_t dot = h.find('.', start);
        std::string_view label = h.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
        if (!std::all_of(label.begin(), label.end(), [](char ch) { return is_alnum(ch) || ch == '-'; })) return false;
        if (dot == std::string_view::npos) return true;
        start = dot + 1;
    }
}

// An IPv6 address as ssh takes it: hex digits and ":" (a dotted IPv4 tail
// allowed), at least two ":".
bool is_ipv6(std::string_view h) {
    if (h.size() < 2 || h.size() > 45 || std::count(h.begin(), h.end(), ':') < 2) return false;
    return std::all_of(h.begin(), h.end(), [](char ch) {
        return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F') || ch == ':' || ch == '.';
    });
}

// A login name as useradd(8) takes it, without the trailing "$".
bool is_login(std::string_view u) {
    if (u.empty() || u.size() > 32 || u.front() == '-') return false;
    return std::all_of(u.begin(), u.end(), [](char ch) { return is_alnum(ch) || ch == '_' || ch == '-' || ch == '.'; });
}

}  // namespace

std::optional<std::string> address_problem(std::string_view address) {
    if (address.empty()) return "is empty";
    if (address.front() == '-') return "starts with \"-\", which ssh would read as an option";
    if (has_control_chars(address) || address.find_first_of(" \t") != std::string_view::npos)
        return "contains spaces or control characters";
    auto at = address.rfind('@');
    std::string_view user = at == std::string_view::npos ? std::string_view() : address.substr(0, at);
    std::string_view host = at == std::string_view::npos ? address : address.substr(at + 1);
    if (at != std::string_view::npos && !is_login(user))
        return "has a user name that is not a login name (letters, digits, \".\", \"_\", \"-\")";
    if (!is_host_name(host) && !is_ipv6(host))
        return "is not \"HOST\" or \"USER@HOST\" with HOST a host name, an ssh alias or an IP address";
    return std::nullopt;
}

bool is_valid_host_name(std::string_view name) {
    return !name.empty() && name.size() <= 32 && name.front() >= 'a' && name.front() <= 'z' &&
           std::all_of(name.begin(), name.end(), [](char ch) { return is_lower_or_digit(ch) || ch == '-'; }) &&
           name.back() != '-';
}

bool runs_on(const ProcessType& p, const std::string& host) {
    return p.hosts.empty() || std::find(p.hosts.begin(), p.hosts.end(), host) != p.hosts.end();
}

Formation share_of(const Formation& f, const std::string& host) {
    Formation out = f;
    out.hosts.clear();
    out.processes.clear();
    for (const auto& p : f.processes)
        if (runs_on(p, host)) {
            out.processes.push_back(p);
            out.processes.back().hosts.clear();
        }
    return out;
}

std::string share_text(const std::string& text, const std::string& host) {
    std::string_view body = text;
    if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);  // a BOM is only allowed first
    return "host = \"" + host + "\"  # this host's share of the formation below (written by formation apply)\n" +
           std::string(body);
}

namespace detail {

namespace {

void read_host(Context& c, const toml::key& k, const toml::node& v, Formation& f) {
    const std::string label = "[hosts." + std::string(k.str()) + "]";
    if (!is_valid_host_name(k.str())) {
        c.error(k, "host name " + quoted(k.str()) +
                       " is not valid: use lowercase letters, digits and \"-\", starting with a letter, at most 32 "
                       "characters");
        return;
    }
    const auto* t = v.as_table();
    if (!t) {
        c.error(v, label + " must be a table with address = \"USER@HOST\" (got " + describe(v) + ")");
        return;
    }
    Host h;
    h.name = std::string(k.str());
    h.where = c.pos(v.source());
    bool has_address = false;
    for (const auto& [hk, hv] : *t) {
        if (hk.str() == "address") {
            has_address = true;
            auto s = read_string(c, hv, "address");
            if (!s) continue;
            if (auto problem = address_problem(*s)) c.error(hv, "address " + quoted(*s) + " in " + label + " " + *problem);
            else h.address = *s;
        } else if (hk.str() == "port") {
            if (auto p = read_int(c, hv, "port", 1, 65535)) h.port = static_cast<int>(*p);
        } else {
            unknown_key(c, hk, "in " + label, host_key_names());
        }
    }
    if (!has_address) c.error(v, label + " has no address (an ssh destination, e.g. address = \"root@10.0.0.11\")");
    f.hosts.push_back(std::move(h));
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](char ch) { return ch >= 'A' && ch <= 'Z' ? char(ch - 'A' + 'a') : ch; });
    return s;
}

// Two [hosts] with one address (and port) are one machine twice.
void check_duplicate_addresses(Context& c, const Formation& f, const toml::table& hosts) {
    for (std::size_t i = 0; i < f.hosts.size(); ++i)
        for (std::size_t j = 0; j < i; ++j) {
            const Host &a = f.hosts[j], &b = f.hosts[i];
            if (a.address.empty() || lower(a.address) != lower(b.address) || a.port != b.port) continue;
            const toml::node* at = hosts[b.name]["address"].node();
            c.error(at ? c.pos(at->source()) : b.where,
                    "[hosts." + b.name + "] has the same address as [hosts." + a.name + "] (" + quoted(b.address) + ")");
        }
}

// Each type's hosts name [hosts] tables; positions from the array itself.
void check_placement(Context& c, const Formation& f, const toml::node* processes) {
    const auto* pt = processes ? processes->as_table() : nullptr;
    for (const auto& p : f.processes) {
        if (p.hosts_where.line == 0) continue;
        if (f.hosts.empty()) {
            c.error(p.hosts_where, "hosts in [process." + p.name + "] names hosts, but the file has no [hosts.NAME] "
                                   "tables (add them, or remove hosts to run here)");
            continue;
        }
        const toml::array* arr = pt ? (*pt)[p.name]["hosts"].as_array() : nullptr;
        for (std::size_t i = 0; i < p.hosts.size(); ++i) {
            const std::string& name = p.hosts[i];
            bool known = std::any_of(f.hosts.begin(), f.hosts.end(), [&name](const Host& h) { return h.name == name; });
            if (known) continue;
            SourcePos at = arr && i < arr->size() ? c.pos((*arr)[i].source()) : p.hosts_where;
            c.error(at, "[process." + p.name + "] names host " + quoted(name) + ", which has no [hosts." + name + "] table");
        }
    }
}

}  // namespace

std::vector<std::string_view> host_key_names() { return {"address", "port"}; }

void hosts_setting(Context& c, const toml::node& n, Draft& d) {
    d.pt.hosts_where = c.pos(n.source());
    const auto* arr = n.as_array();
    if (!arr) {
        c.error(n, "hosts must be an array of host names, e.g. [\"alpha\"] (got " + describe(n) + ")");
        return;
    }
    if (arr->empty()) {
        c.error(n, "hosts must name at least one host; leave it out to run on every host");
        return;
    }
    std::set<std::string> seen;
    for (const auto& item : *arr) {
        auto name = read_string(c, item, "hosts");
        if (!name) continue;
        if (!seen.insert(*name).second) c.error(item, "hosts names " + quoted(*name) + " twice");
        else d.pt.hosts.push_back(std::move(*name));
    }
}

void read_hosts(Context& c, const toml::node* hosts, const toml::node* host, const toml::node* processes, Formation& f) {
    const toml::table* ht = hosts ? hosts->as_table() : nullptr;
    if (hosts && !ht) c.error(*hosts, "hosts must be a table of [hosts.NAME] tables (got " + describe(*hosts) + ")");
    if (ht && ht->empty()) c.error(*hosts, "[hosts] has no hosts; add e.g. [hosts.alpha] with an address");
    if (ht)
        for (const auto& [k, v] : *ht) read_host(c, k, v, f);
    if (ht) check_duplicate_addresses(c, f, *ht);
    check_placement(c, f, processes);
    if (f.hosts.empty()) {
        check_ports(c, f);
    } else {
        // Ports clash only between types that share a host.
        for (const auto& h : f.hosts) check_ports(c, share_of(f, h.name));
    }
    if (!host) return;
    auto name = read_string(c, *host, "host");
    if (!name) return;
    if (std::none_of(f.hosts.begin(), f.hosts.end(), [&name](const Host& h) { return h.name == *name; })) {
        c.error(*host, "host = " + quoted(*name) + " names no [hosts." + *name + "] table of this file");
        return;
    }
    f = share_of(f, *name);
}

}  // namespace detail

}  // namespace formation
