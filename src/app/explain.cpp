#include "app/verbs.hpp"

namespace formation::app {

namespace {

// The port formation `f` gives the instance `unit` of app `app`; 0 if none.
int port_of(const Formation* f, const std::string& app, const std::string& unit) {
    auto ref = parse_instance(app, unit);
    if (!f || !ref) return 0;
    for (const auto& p : f->processes)
        if (p.name == ref->type && p.port) return instance_port(p, ref->index);
    return 0;
}

}  // namespace

std::vector<FailureNote> explain(Env& env, const deploy::Report& jobs, const std::string& app, const Formation* f,
                                 std::uint64_t since_usec) {
    std::vector<FailureNote> out;
    for (const auto& x : jobs.failures) {
        FailureNote n;
        n.failure = x;
        if (!x.failed_socket.empty()) {
            // The process never ran: its old lines would mislead.
            if ((n.port = port_of(f, app, x.unit))) {
                n.holder = port_listener(n.port);
                for (const auto& c : other_apps_ports(env.user, app))
                    if (c.port == n.port) {
                        n.claimant = c;
                        break;
                    }
            }
            n.systemd_said = env.journal->manager_lines(x.failed_socket, since_usec);
        } else if ((n.instance = parse_instance(app, x.unit)) || parse_scheduled(app, x.unit)) {
            // 30, not systemctl's 10: a server that fails to boot often
            // prints the cause and then tracebacks of its own shutdown
            // (gunicorn with two workers: two boot tracebacks and the
            // arbiter's); 10 lines held only the arbiter's.
            n.log_tail = env.journal->last_lines(x.unit, 30);
        }
        out.push_back(std::move(n));
    }
    return out;
}

}  // namespace formation::app
