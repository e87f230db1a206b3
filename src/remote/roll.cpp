#include "remote/roll.hpp"

#include <algorithm>

namespace formation::remote {

namespace {

std::string names(const std::vector<const Host*>& hs) {
    std::string out;
    for (const Host* h : hs) out += (out.empty() ? "" : ", ") + h->name;
    return out;
}

}  // namespace

void print_prefixed(std::ostream& os, const std::string& name, std::string_view text) {
    while (!text.empty()) {
        auto nl = text.find('\n');
        os << name << ": " << text.substr(0, nl) << '\n';
        if (nl == std::string_view::npos) break;
        text.remove_prefix(nl + 1);
    }
}

int roll(const std::string& what, const std::vector<RollStep>& steps, unsigned parallel, bool quiet, const RollIo& io,
         int* changed) {
    std::vector<const Host*> done, failed;
    bool lost = false;  // a failed host did not answer (rather than failing)
    int rc = 0;
    std::size_t at = 0;
    for (; at < steps.size() && failed.empty(); at += parallel) {
        std::size_t end = std::min(steps.size(), at + parallel);
        std::vector<Command> batch;
        for (std::size_t k = at; k < end; ++k) batch.push_back(steps[k].command);
        // One host at a time: its lines as they come; several: each host's in one piece.
        LineSink live;
        if (batch.size() == 1)
            live = [&io, &steps, at](std::size_t, std::string_view line) {
                io.out << steps[at].host->name << ": " << line << '\n' << std::flush;
            };
        auto results = io.run(batch, live);
        for (std::size_t k = 0; k < results.size(); ++k) {
            const Host& h = *steps[at + k].host;
            const auto& r = results[k];
            if (!live) print_prefixed(io.out, h.name, r.out);
            io.out.flush();
            print_prefixed(io.err, h.name, r.err);
            if (r.exit_code == 0) {
                done.push_back(&h);
                continue;
            }
            io.err << "formation: " << what << " failed on host " << io.label(h) << ": " << io.failure(h, r) << "\n";
            if (failed.empty()) rc = r.exit_code >= 1 && r.exit_code <= 3 ? r.exit_code : 1;
            failed.push_back(&h);
            lost = lost || unreachable(r);
            // A host whose formation ran changed, unless ssh or the version check stopped it first.
            if (changed && !unreachable(r) && r.err.find("version mismatch") == std::string::npos) ++*changed;
        }
    }
    if (changed) *changed += static_cast<int>(done.size());
    if (!failed.empty()) {
        std::vector<const Host*> rest;
        for (std::size_t k = std::min(at, steps.size()); k < steps.size(); ++k) rest.push_back(steps[k].host);
        // A failed apply put its host back on its previous formation (it
        // says so in its own lines); the done hosts keep the new one.
        std::string done_text = done.empty() ? "none" : names(done);
        if (!done.empty() && what == "apply") done_text += " (running the new formation)";
        io.err << "formation: the roll stopped at " << names(failed) << "; done: " << done_text
               << "; not reached: " << (rest.empty() ? "none" : names(rest))
               << (lost ? " (run it again once the host is back)\n" : " (run it again once the cause is fixed)\n");
    } else if (!quiet) {
        io.out << "formation: " << what << " done on " << names(done) << "\n";
    }
    return rc;
}

}  // namespace formation::remote
