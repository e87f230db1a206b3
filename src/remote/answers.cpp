#include "remote/answers.hpp"

namespace formation::remote {

namespace {
constexpr int exit_failed = 1;  // formation(1): the command failed
}  // namespace

std::string label(const Host& h) {
    return h.name + " (" + h.address + (h.port ? ":" + std::to_string(*h.port) : "") + ")";
}

int exit_code_of(const Result& r) {
    return r.exit_code >= 1 && r.exit_code <= 3 ? r.exit_code : exit_failed;
}

std::string failure(const Host& h, const Result& r) {
    if (r.exit_code == -1) return "could not run ssh: " + last_line(r.err);
    if (unreachable(r)) return "unreachable: " + last_line(r.err);
    if (r.exit_code == 127) return "no formation there (installed on every host? ssh said: " + last_line(r.err) + ")";
    if (r.err.find("version mismatch") != std::string::npos) return last_line(r.err);
    if (r.exit_code == 2 && r.err.find("remote") != std::string::npos) {
        // A formation too old to know `remote`: say which one it is.
        auto v = run_all({{ssh_argv(h, {"--version"}), ""}});
        std::string theirs = last_line(v[0].out);
        if (v[0].exit_code == 0 && theirs != std::string("formation ") + FORMATION_VERSION)
            return "version mismatch: the host runs " + theirs + ", this is formation " FORMATION_VERSION +
                   "; install one version on every host";
    }
    if (r.exit_code >= 128) return "its formation was killed by signal " + std::to_string(r.exit_code - 128);
    return "failed (exit " + std::to_string(r.exit_code) + ")";
}

std::optional<std::string> answer_of(const Result& r) {
    if ((r.exit_code == 0 || r.exit_code == 1) && r.out.find_first_not_of(" \n") != std::string::npos) return r.out;
    return std::nullopt;
}

std::string refusal(const Host& h, const Result& r) {
    std::string last = last_line(r.err);
    if (r.exit_code == 2 && !last.empty() && r.err.find("version mismatch") == std::string::npos && !unreachable(r))
        return last;
    return failure(h, r);
}

}  // namespace formation::remote
