#include "import/servers.hpp"

#include <algorithm>
#include <sstream>

namespace formation {

namespace {

std::vector<std::string> words(std::string_view command) {
    std::istringstream in{std::string(command)};
    std::vector<std::string> out;
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

bool is_assignment(const std::string& w) {
    auto eq = w.find('=');
    return eq != std::string::npos && eq > 0 &&
           std::all_of(w.begin(), w.begin() + static_cast<long>(eq), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

std::string base_name(const std::string& w) { return w.substr(w.rfind('/') == std::string::npos ? 0 : w.rfind('/') + 1); }

// The server's name and the command's words, split where its own command
// line begins (before: "bundle exec", "VAR=x", "python3 -m").
struct Split {
    std::string server;
    std::vector<std::string> before, args;
};

std::optional<Split> server_words(std::string_view command) {
    auto w = words(command);
    std::size_t i = 0;
    while (i < w.size() && (is_assignment(w[i]) || w[i] == "exec" || w[i] == "env")) ++i;
    if (i + 1 < w.size() && base_name(w[i]) == "bundle" && w[i + 1] == "exec") i += 2;
    if (i + 2 < w.size() && base_name(w[i]).starts_with("python") && w[i + 1] == "-m") i += 2;
    if (i >= w.size()) return std::nullopt;
    std::string name = base_name(w[i]);
    if (name == "nodejs") name = "node";
    if (name != "gunicorn" && name != "uvicorn" && name != "puma" && !(name == "node" && i + 1 < w.size()))
        return std::nullopt;
    auto at = w.begin() + static_cast<long>(i);
    return Split{name, {w.begin(), at}, {at, w.end()}};
}

// `args` without the options in `drop` (and their values: "--port 80", "--port=80", "-p80").
std::vector<std::string> without(const std::vector<std::string>& args, std::initializer_list<std::string_view> drop) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < args.size(); ++i) {
        bool dropped = false;
        for (auto d : drop) {
            if (args[i] == d) {
                ++i;  // and its value
                dropped = true;
                break;
            }
            if (args[i].starts_with(std::string(d) + "=") || (d.size() == 2 && args[i].starts_with(d) && args[i].size() > 2)) {
                dropped = true;
                break;
            }
        }
        if (!dropped) out.push_back(args[i]);
    }
    return out;
}

std::string join(const std::vector<std::string>& w) {
    std::string s;
    for (const auto& x : w) s += (s.empty() ? "" : " ") + x;
    return s;
}

}  // namespace

std::optional<SocketHint> socket_hint(std::string_view command) {
    auto found = server_words(command);
    if (!found) return std::nullopt;
    const std::string& server = found->server;
    const auto& args = found->args;
    auto with_prefix = [&](std::vector<std::string> a) {
        a.insert(a.begin(), found->before.begin(), found->before.end());
        return join(a);
    };
    SocketHint h{server, {}};
    auto& c = h.comment;
    c.push_back("To let systemd hold this port (restarts refuse no connection), set socket = true");
    if (server == "gunicorn") {
        c.push_back("(or \"shared\") and ready = \"notify\": gunicorn takes the socket by itself (LISTEN_FDS) and");
        c.push_back("then ignores --bind; reload_signal = \"SIGHUP\" makes `formation reload` replace its workers.");
    } else if (server == "uvicorn") {
        c.push_back("(or \"shared\") and take it on descriptor 3 instead of --host/--port:");
        c.push_back("  command = \"" + with_prefix(without(args, {"--host", "--port", "--uds", "--fd"})) + " --fd 3\"");
    } else if (server == "puma") {
        c.push_back("(or \"shared\") and bind exactly the address systemd listens on, every address:");
        c.push_back("  command = \"" + with_prefix(without(args, {"-b", "--bind", "-p", "--port"})) + " -b tcp://[::]:$PORT\"");
        c.push_back("(a bind in a config file must be tcp://[::]:$PORT too: puma binds anything else itself and");
        c.push_back("fails with \"Address already in use\"). reload_signal = \"SIGUSR1\" is its phased restart.");
    } else {
        c.push_back("(or \"shared\") and listen on descriptor 3 when systemd passes one:");
        c.push_back("  server.listen(process.env.LISTEN_FDS ? { fd: 3 } : process.env.PORT)");
    }
    c.push_back("See formation.toml(5), SOCKETS.");
    return h;
}

}  // namespace formation
